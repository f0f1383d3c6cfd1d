/**
 * The dashboard's pages: the person's repositories, one repository's tests, one test.
 */
import type { RepoView, TestView } from '../../app/dashboard/views.js';
import { canRunTests } from '../../core/dashboard/access.js';
import type { ChannelHealth } from '../../core/notify/ports.js';
import type { StatusView } from '../../core/status/view.js';
import type { Incident } from '../../core/types.js';
import { formatUptime } from '../../web/html.js';
import { historyTable, testCard } from '../status/render-page.js';
import { esc, layout, ms, responseChart, sourceOf, statusBadge, type Viewer, when } from './html.js';
import { runPath } from './run-page.js';

const repoHref = (repo: string) => `/r/${repo.split('/').map(encodeURIComponent).join('/')}`;
const testHref = (repo: string, slug: string) => `${repoHref(repo)}/${encodeURIComponent(slug)}`;

export function signInPage(): string {
  return layout(
    'Sign in',
    '<p>HouseCat shows your repositories\' tests to the people who can read them on GitHub.</p><p><a class="button" href="/auth/login?return_to=%2F">Sign in with GitHub</a></p>',
  );
}

export function messagePage(title: string, message: string, viewer?: Viewer): string {
  return layout(title, `<p>${esc(message)}</p><p><a href="/">Back to your repositories</a></p>`, viewer);
}

function incidentLink(incident: Incident, webUrl: string): string {
  const label = incident.status === 'acknowledged' ? 'acknowledged incident' : 'open incident';
  return incident.issueNumber
    ? `<a href="${esc(`${webUrl}/${incident.repo}/issues/${incident.issueNumber}`)}">${label} #${incident.issueNumber}</a>`
    : label;
}

export function homePage(
  repos: RepoView[],
  viewer: Viewer,
  webUrl: string,
  channels: ChannelHealth[] = [],
): string {
  if (repos.length === 0) {
    return layout(
      'Your repositories',
      `<p>No repository you can read has the HouseCat app installed.</p>${channelSection(channels)}`,
      viewer,
    );
  }
  const sections = repos
    .map(({ access, tests }) => {
      const rows = tests
        .map(({ test, state, incident, uptime24h, uptime7d, lastRunAt }) => {
          const d = test.definition;
          const open = incident && incident.status !== 'resolved' ? incidentLink(incident, webUrl) : 'none';
          const last = lastRunAt
            ? `<time datetime="${new Date(lastRunAt).toISOString()}">${esc(when(lastRunAt))}</time>`
            : 'never';
          return `<tr><th scope="row"><a href="${esc(testHref(d.repo, d.slug))}">${esc(d.name)}</a></th><td>${statusBadge(state)}</td><td>${formatUptime(uptime24h)}</td><td>${formatUptime(uptime7d)}</td><td>${last}</td><td>${open}</td></tr>`;
        })
        .join('');
      const table = tests.length
        ? `<table><caption>Tests of ${esc(access.repo)}</caption><thead><tr><th scope="col">Test</th><th scope="col">State</th><th scope="col">Uptime 24 h</th><th scope="col">Uptime 7 d</th><th scope="col">Last run</th><th scope="col">Incident</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>No tests synced yet.</p>';
      return `<section><h2><a href="${esc(repoHref(access.repo))}">${esc(access.repo)}</a></h2>${table}</section>`;
    })
    .join('');
  return layout('Your repositories', sections + channelSection(channels), viewer);
}

const CHANNEL_STATES: Record<ChannelHealth['state'], string> = {
  ok: 'healthy',
  failing: 'unhealthy: alerts are failing',
  unknown: 'not configured: tests name it, but the app has no HOUSECAT_NOTIFY_ variable for it',
};

/** The alert channels (issue 28): a failing or missing one is said here, not only in the log. */
function channelSection(channels: ChannelHealth[]): string {
  if (channels.length === 0) return '';
  const rows = channels
    .map((c) => {
      const state = c.state === 'ok' ? 'passed' : 'failed';
      const last = c.lastError ? `${c.failures} failed attempt(s); last: ${esc(c.lastError)}` : '';
      return `<tr><th scope="row">${esc(c.channel)}</th><td>${statusBadge(state)} ${esc(CHANNEL_STATES[c.state])}</td><td>${c.lastOkAt ? when(c.lastOkAt) : 'never'}</td><td>${last}</td></tr>`;
    })
    .join('');
  return `<section><h2>Alert channels</h2><table><caption>Where incident alerts go (docs/alerts.md)</caption><thead><tr><th scope="col">Channel</th><th scope="col">State</th><th scope="col">Last sent</th><th scope="col">Problem</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/**
 * A repository's tests, drawn by the public status page's components (one renderer for both), with
 * each test's name linking to its page here.
 */
export function repoPage(view: StatusView, viewer: Viewer, webUrl: string): string {
  const links = {
    issueUrl: (repo: string, n: number) => `${webUrl}/${repo}/issues/${n}`,
    testUrl: (slug: string) => testHref(view.repo, slug),
  };
  const cards = view.tests.length
    ? `<ul class="tests">${view.tests.map((t) => testCard(view, links, t)).join('\n')}</ul>`
    : '<p>No tests synced yet.</p>';
  const body = `<section aria-labelledby="tests-h"><h2 id="tests-h">Tests</h2>${cards}</section>
<section aria-labelledby="history-h"><h2 id="history-h">Incidents</h2>${historyTable(view, links)}</section>`;
  return layout(view.repo, body, viewer, [['/', 'Repositories']], ['/assets/status.css']);
}

function timeline(incident: Incident | null, webUrl: string): string {
  if (!incident) return '<p>No incident so far.</p>';
  const items: [number, string][] = [
    [incident.since, 'first failed run of the streak'],
    [incident.openedAt, `incident opened${incident.issueNumber ? '' : ' (issue pending)'}`],
    [incident.lastFailureAt, `last failure: ${incident.lastReason}`],
  ];
  if (incident.resolvedAt) items.push([incident.resolvedAt, 'resolved']);
  const issue = incident.issueNumber
    ? `<p>Issue: <a href="${esc(`${webUrl}/${incident.repo}/issues/${incident.issueNumber}`)}">#${incident.issueNumber}</a> (${esc(incident.status)}, ${incident.failedRuns} failed runs)</p>`
    : `<p>Status: ${esc(incident.status)}, ${incident.failedRuns} failed runs</p>`;
  return `${issue}<ol class="timeline">${items
    .sort((a, b) => a[0] - b[0])
    .map(
      ([at, what]) =>
        `<li><time datetime="${new Date(at).toISOString()}">${esc(when(at))}</time> ${esc(what)}</li>`,
    )
    .join('')}</ol>`;
}

export function testPage(view: TestView, viewer: Viewer, webUrl: string): string {
  const d = view.test.definition;
  const base = testHref(d.repo, d.slug);
  const runNow = canRunTests(view.access.permission)
    ? `<form method="post" action="${esc(`${base}/run`)}"><input type="hidden" name="csrf" value="${esc(viewer.csrf)}"><button type="submit">Run now</button></form>`
    : '<p>Only people with write access to this repository can run it now.</p>';
  const runs = view.runs
    .map((r) => {
      const mode = (r as { mode?: string }).mode ?? '—';
      // The start time opens the run page (steps, evidence, screenshots) while its record is kept.
      return `<tr><td><a href="${esc(runPath(d.repo, d.slug, r.runId))}"><time datetime="${new Date(r.startedAt).toISOString()}">${esc(when(r.startedAt))}</time></a></td><td>${statusBadge(r.status)}</td><td>${esc(mode)}</td><td>${esc(sourceOf(r))}</td><td>${ms(r.responseMs ?? r.durationMs)}</td><td>${esc(r.reason)}</td><td>${esc(r.failedStep ?? '—')}</td></tr>`;
    })
    .join('');
  const last = view.recentEvents.at(-1);
  const events = view.recentEvents.map((e) => `<li>${esc(`${e.type}: ${e.message}`)}</li>`).join('');
  const shot = view.shot
    ? `<img src="${esc(`${base}/shot.png`)}" alt="${esc(`Screenshot of the failed run at ${when(view.shot.at)}`)}" class="shot"><p>Run ${esc(view.shot.runId)}, ${esc(when(view.shot.at))}</p>`
    : '<p>No failed run with a screenshot.</p>';
  const late = view.lateness;
  const lateness = d.schedule
    ? `<h2>Lateness of scheduled runs</h2><p>${late.runs === 0 ? 'No scheduled run recorded its lateness in the last 30 days.' : `p50 ${ms(late.p50Ms)}, p95 ${ms(late.p95Ms)}, worst ${ms(late.maxMs)} over ${late.runs} scheduled runs (30 days), from each run's cron tick.`}</p>`
    : '';
  const maintenance = view.maintenance
    ? `<p class="maintenance">Maintenance window open until ${esc(when(view.maintenance.until))}: scheduled runs are recorded as skipped.</p>`
    : '';
  const body = `<p class="state">${statusBadge(view.summary.state)} <a href="${esc(d.url)}">${esc(d.url)}</a></p>${maintenance}
<h2>Goal</h2><p>${esc(d.goal ?? 'Deterministic checks only (no goal).')}</p>
<h2>Run now</h2>${runNow}
<h2 id="live-title">Live run</h2>
<ol id="live-events" class="live" aria-labelledby="live-title" aria-live="polite" data-src="${esc(`${base}/events`)}" data-after="${esc(last?.streamId ?? '')}" data-run="${esc(last?.runId ?? '')}">${events}</ol>
<h2>Response time</h2>${responseChart(view.chart, view.summary)}${lateness}
<h2>Incidents</h2>${timeline(view.incident, webUrl)}
<h2>Last failed run</h2>${shot}
<h2>Last ${view.runs.length} runs</h2>
<table><caption>Newest first</caption><thead><tr><th scope="col">Started</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Source</th><th scope="col">Time</th><th scope="col">Reason</th><th scope="col">Failed step</th></tr></thead><tbody>${runs}</tbody></table>`;
  return layout(d.name, body, viewer, [
    ['/', 'Repositories'],
    [repoHref(d.repo), d.repo],
  ]);
}
