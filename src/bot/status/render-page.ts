/**
 * The public status page as one HTML string: data in (a StatusView), HTML out, no I/O. No script:
 * the page is complete as served. Light and dark follow `prefers-color-scheme`; the layout fits a
 * phone. Colours were picked for WCAG AA contrast in both schemes, and every state is also written
 * out in words (colour is never the only signal).
 */
import type { IncidentView, OverallState, StatusView, TestState, TestView } from '../../core/status/view.js';
import { HEARTBEAT_RUNS, HISTORY_DAYS } from '../../core/status/view.js';
import { escapeHtml as esc, formatMs, formatTime, formatTimeSpan, formatUptime } from '../../web/html.js';
import { heartbeatLegend, heartbeatSvg, responseChartSvg } from './svg.js';

export interface PageLinks {
  /** Web URL of an incident's GitHub issue, e.g. `https://github.com/acme/shop/issues/12`. */
  issueUrl(repo: string, issueNumber: number): string;
  /** The private dashboard's page of a test (its cards link there); unset on the public page. */
  testUrl?(slug: string): string;
}

const OVERALL_TEXT: Record<OverallState, string> = {
  operational: 'All tests passing',
  degraded: 'Some tests failing',
  outage: 'Incident in progress',
  unknown: 'No results yet',
};

const STATE_TEXT: Record<TestState, string> = {
  passing: 'Passing',
  failing: 'Failing',
  unknown: 'No result yet',
};

export const STATUS_PAGE_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--link:#0969da;--none:#d1d9e0;--err:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--card:#151b23;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--link:#4493f8;--none:#3d444d;--err:#ab7df8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
header,main,footer{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:0}
.muted{color:var(--muted)}
.overall{font-weight:600;font-size:1.1rem;padding:.75rem 1rem;border-radius:.5rem;border:1px solid var(--line);background:var(--card)}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em;vertical-align:baseline}
.s-passing,.s-operational{color:var(--ok)}.s-failing,.s-outage,.s-degraded{color:var(--bad)}.s-unknown{color:var(--muted)}
.d-passing,.d-operational{background:var(--ok)}.d-failing,.d-outage,.d-degraded{background:var(--bad)}.d-unknown{background:var(--muted)}
ul.tests{list-style:none;padding:0;margin:0;display:grid;gap:1rem}
.test{border:1px solid var(--line);border-radius:.5rem;padding:1rem;background:var(--card)}
.test-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;align-items:baseline}
.state{font-weight:600;margin:0}
.goal,.reason{margin:.5rem 0 0}
.heartbeat{display:block;width:100%;height:28px;margin:.75rem 0 .25rem}
.hb-passed{fill:var(--ok)}.hb-failed{fill:var(--bad)}.hb-error{fill:var(--warn)}.hb-skipped{fill:var(--muted)}.hb-none{fill:var(--none)}
dl.figures{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}
dl.figures div{min-width:6.5rem}
dt{font-size:.85rem;color:var(--muted)}dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}
figure{margin:0}figcaption{font-size:.85rem;color:var(--muted)}
.chart{display:block;width:100%;height:auto;overflow:visible}
.chart-box{display:grid;grid-template-columns:auto 1fr;gap:0 .35rem;font-size:.75rem;color:var(--muted);font-variant-numeric:tabular-nums}
.chart-box .y-top{grid-column:1;grid-row:1;align-self:start}.chart-box .y-bottom{grid-column:1;grid-row:2;align-self:end}
.chart-box svg{grid-column:2;grid-row:1/3}.x-axis{grid-column:2;grid-row:3;display:flex;justify-content:space-between}
.bridge{stroke-dasharray:3 3;opacity:.6}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0 .75rem;font-size:.85rem;color:var(--muted)}
.swatch{display:inline-block;width:.6em;height:1em;margin-right:.35em;vertical-align:-.15em;border-radius:1px}
.sw-passed{background:var(--ok)}.sw-failed{background:var(--bad)}.sw-error{background:var(--warn)}.sw-skipped{background:var(--muted)}.sw-none{background:var(--none)}
.s-inconclusive{color:var(--warn)}.d-inconclusive{background:var(--warn)}
.chart polyline{fill:none;stroke-width:1.5;vector-effect:non-scaling-stroke}
.p95{stroke:var(--warn)}.p50{stroke:var(--link)}.p95-dot{fill:var(--warn)}.p50-dot{fill:var(--link)}
.axis{stroke:var(--line)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.table-wrap{overflow-x:auto}
footer{font-size:.85rem;color:var(--muted)}
`;

/** A dot in the overall state's colour (a data: URL: the page's policy loads nothing else). */
const dotIcon = (colour: string) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${colour}"/></svg>`)}`;
const FAVICON: Record<OverallState, string> = {
  operational: dotIcon('#1a7f37'),
  degraded: dotIcon('#cf222e'),
  outage: dotIcon('#cf222e'),
  unknown: dotIcon('#59636e'),
};

function issueLink(links: PageLinks, repo: string, incident: IncidentView): string {
  if (incident.issueNumber === undefined) return 'issue not created yet';
  return `<a href="${esc(links.issueUrl(repo, incident.issueNumber))}">issue #${incident.issueNumber}</a>`;
}

function incidentLine(view: StatusView, links: PageLinks, incident: IncidentView): string {
  const what = incident.status === 'acknowledged' ? 'Acknowledged' : 'Failing';
  return (
    `<li><a href="#test-${esc(incident.slug)}">${esc(incident.testName)}</a>: ${what} since ` +
    `<time datetime="${new Date(incident.since).toISOString()}">${formatTime(incident.since)}</time> ` +
    `(${formatTimeSpan(view.generatedAt - incident.since)}) — ${issueLink(links, view.repo, incident)}</li>`
  );
}

/** One test's card (also on the private dashboard's repository page). */
export function testCard(view: StatusView, links: PageLinks, test: TestView): string {
  const headingId = `test-${esc(test.slug)}-name`;
  const incident =
    test.incident && test.incident.status !== 'resolved'
      ? `<p class="reason">Open incident: ${issueLink(links, view.repo, test.incident)}</p>`
      : '';
  const maintenance = test.maintenance
    ? `<p class="reason">Maintenance window until <time datetime="${new Date(test.maintenance.until).toISOString()}">${formatTime(test.maintenance.until)}</time>: scheduled runs are skipped</p>`
    : '';
  const goal = test.goal ? `<p class="goal"><span class="muted">Goal:</span> ${esc(test.goal)}</p>` : '';
  const reason = test.lastReason
    ? `<p class="reason"><span class="muted">Last verdict:</span> ${esc(test.lastReason)}</p>`
    : '';
  const last = test.lastRunAt
    ? `<span class="muted">Last run <time datetime="${new Date(test.lastRunAt).toISOString()}">${formatTime(test.lastRunAt)}</time></span>`
    : '';
  // Only inconclusive runs so far: say since when and why in short, not "No result yet".
  const stateClass = test.state === 'unknown' && test.inconclusive ? 'inconclusive' : test.state;
  const stateText =
    stateClass === 'inconclusive' && test.inconclusive
      ? `Inconclusive since <time datetime="${new Date(test.inconclusive.since).toISOString()}">${formatTime(test.inconclusive.since)}</time> (${esc(test.inconclusive.kind)})`
      : STATE_TEXT[test.state];
  const w = test.windows;
  const figure = (label: string, value: string) => `<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return `<li class="test" id="test-${esc(test.slug)}"><article aria-labelledby="${headingId}">
<div class="test-head"><h3 id="${headingId}">${links.testUrl ? `<a href="${esc(links.testUrl(test.slug))}">${esc(test.name)}</a>` : esc(test.name)}</h3>
<p class="state s-${stateClass}"><span class="dot d-${stateClass}" aria-hidden="true"></span>${stateText}</p></div>
${last}${incident}${maintenance}${goal}${reason}
${heartbeatSvg(test.heartbeat, HEARTBEAT_RUNS)}
<dl class="figures">${figure('Uptime 24 h', formatUptime(w.h24.uptime))}${figure('Uptime 7 d', formatUptime(w.d7.uptime))}${figure('Uptime 30 d', formatUptime(w.d30.uptime))}${figure('p50 (24 h)', formatMs(w.h24.p50Ms))}${figure('p95 (24 h)', formatMs(w.h24.p95Ms))}${w.d7.latenessSamples > 0 ? `${figure('Late p50 (7 d)', formatMs(w.d7.latenessP50Ms))}${figure('Late p95 (7 d)', formatMs(w.d7.latenessP95Ms))}` : ''}</dl>
<div class="charts"><figure><figcaption>Response time, last 24 h (p95, p50)</figcaption>${responseChartSvg(test.chart24h, `${test.name}, response time, last 24 hours`, '24 h')}</figure>
<figure><figcaption>Response time, last 7 d (p95, p50)</figcaption>${responseChartSvg(test.chart7d, `${test.name}, response time, last 7 days`, '7 d')}</figure></div>
</article></li>`;
}

/** The incident history table (also on the private dashboard's repository page). */
export function historyTable(view: StatusView, links: PageLinks): string {
  if (view.history.length === 0) return `<p>No incidents in the last ${HISTORY_DAYS} days.</p>`;
  // Reasons follow the page's rule: a public page shows them only with show_goals.
  const reasons = view.showGoals;
  const rows = view.history.map((i) => {
    const end = i.resolvedAt;
    const lasted = formatTimeSpan((end ?? view.generatedAt) - i.since);
    const missed = i.kind === 'missed' ? ' (scheduled runs stopped)' : '';
    const outcome = end ? `resolved after ${lasted}${missed}` : `${i.status}, ${lasted} so far`;
    const reason = reasons ? `<td>${esc(i.lastReason ?? '')}</td>` : '';
    return `<tr><td>${esc(i.testName)}</td><td><time datetime="${new Date(i.since).toISOString()}">${formatTime(i.since)}</time></td><td>${outcome}</td>${reason}<td>${issueLink(links, view.repo, i)}</td></tr>`;
  });
  const reasonHead = reasons ? '<th scope="col">Last reason</th>' : '';
  return `<div class="table-wrap"><table><caption class="muted">Open incidents and those resolved in the last ${HISTORY_DAYS} days, newest first</caption>
<thead><tr><th scope="col">Test</th><th scope="col">Started</th><th scope="col">Outcome</th>${reasonHead}<th scope="col">Issue</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

/** The whole page. */
export function renderStatusPage(view: StatusView, links: PageLinks): string {
  const open =
    view.openIncidents.length === 0
      ? '<p>No open incidents.</p>'
      : `<ul>${view.openIncidents.map((i) => incidentLine(view, links, i)).join('')}</ul>`;
  const tests =
    view.tests.length === 0
      ? '<p>No tests are synced for this repository yet.</p>'
      : `${heartbeatLegend()}<ul class="tests">${view.tests.map((t) => testCard(view, links, t)).join('\n')}</ul>`;
  const feed = `/status/${view.repo.split('/').map(encodeURIComponent).join('/')}/feed.atom`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(view.title)}</title>
<link rel="icon" href="${FAVICON[view.overall]}">
<link rel="alternate" type="application/atom+xml" title="${esc(`${view.title}: incidents`)}" href="${esc(feed)}">
<style>${STATUS_PAGE_CSS}</style></head>
<body><header><h1>${esc(view.title)}</h1>
<p class="overall s-${view.overall}"><span class="dot d-${view.overall}" aria-hidden="true"></span>${OVERALL_TEXT[view.overall]}</p>
<p class="muted">Updated <time datetime="${new Date(view.generatedAt).toISOString()}">${formatTime(view.generatedAt)}</time>. Uptime counts passed and failed runs; inconclusive runs count for neither. Response times are upper bounds of histogram buckets.</p></header>
<main><section aria-labelledby="open-h"><h2 id="open-h">Open incidents</h2>${open}</section>
<section aria-labelledby="tests-h"><h2 id="tests-h">Tests</h2>${tests}</section>
<section aria-labelledby="history-h"><h2 id="history-h">Incident history (${HISTORY_DAYS} days)</h2>${historyTable(view, links)}
<p><a href="${esc(feed)}">Subscribe to incidents (Atom feed)</a></p></section></main>
<footer>Monitored by HouseCat: end-to-end tests in plain English.</footer></body></html>`;
}

/** The 404 page: the same for a private repository and one that does not exist. */
export function renderNotFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Status page not found</title><style>${STATUS_PAGE_CSS}</style></head>
<body><main><h1>Status page not found</h1><p>There is no public status page here. Its owners can publish one with <code>status_page: {public: true}</code> in housecat.yml.</p></main></body></html>`;
}
