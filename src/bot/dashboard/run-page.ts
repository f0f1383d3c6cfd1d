/**
 * The run page (issue 29): one recorded run, step by step, with what the agent saw. Everything a
 * page under test could have written (reasons, outcomes, excerpts) is escaped here; screenshots
 * and the trace are served from the run's own URLs, behind the same access check as the page.
 */

import type { StoredTest } from '../../core/ports.js';
import { formatRunDuration } from '../../core/report/format.js';
import type { RunRecord } from '../../core/run/run-record.js';
import { esc, layout, ms, sourceOf, statusBadge, type Viewer, when } from './html.js';

/** The run page's path, also used by the test page, the incident issue and the PR comment. */
export function runPath(repo: string, slug: string, runId: string): string {
  return `/r/${repo.split('/').map(encodeURIComponent).join('/')}/${encodeURIComponent(slug)}/runs/${encodeURIComponent(runId)}`;
}

const MODE_TEXT: Record<string, string> = {
  agent: 'agent (the model drove the browser)',
  replay: 'replay (the recorded script ran without a model)',
  healed: 'healed (the replay diverged; the model ran and passed)',
  checks: 'checks (deterministic checks only, no model)',
};

function modeOf(record: RunRecord): string {
  const mode = record.mode ?? (record.agent === 'checks' || record.usage.llmCalls === 0 ? 'checks' : 'agent');
  return MODE_TEXT[mode] ?? mode;
}

function facts(record: RunRecord): string {
  const rows: [string, string][] = [
    ['Status', statusBadge(record.status)],
    ['Mode', esc(modeOf(record))],
    ['Source', esc(sourceOf(record))],
    [
      'Started',
      `<time datetime="${new Date(record.startedAt).toISOString()}">${esc(when(record.startedAt))}</time>`,
    ],
    ['Duration', esc(formatRunDuration(record.durationMs))],
    ['Response time', ms(record.responseMs)],
  ];
  if (record.latenessMs !== undefined)
    rows.push(['Lateness', `${ms(record.latenessMs)} after its cron tick`]);
  if (record.attempt !== undefined) rows.push(['Attempt', esc(record.attempt)]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function stepsTable(record: RunRecord): string {
  if (record.steps.length === 0) return '<p>No steps were recorded: the run ended before it took one.</p>';
  const rows = record.steps
    .map(
      (s, i) =>
        `<tr><td>${i + 1}</td><td><time datetime="${new Date(s.at).toISOString()}">${esc(new Date(s.at).toISOString().slice(11, 23))}</time></td><td>${esc(s.action)}</td><td>${esc(s.target ?? '')}</td><td>${s.ok ? 'ok' : '<strong>failed</strong>'}</td><td>${ms(s.ms)}</td><td>${esc(s.outcome)}</td></tr>`,
    )
    .join('');
  const omitted = record.stepsOmitted
    ? `<p>${record.stepsOmitted} steps in the middle are left out.</p>`
    : '';
  return `${omitted}<table><caption>Steps, oldest first (times UTC)</caption><thead><tr><th scope="col">#</th><th scope="col">At</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Took</th><th scope="col">What happened</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function verdict(record: RunRecord): string {
  // The verdict steps carry the evidence check's own reading of the live page.
  const checks = record.steps.filter((s) => s.action === 'verdict' || s.action.startsWith('check:'));
  const readings = checks.length
    ? `<h3>The evidence check's reading</h3><ul>${checks.map((s) => `<li>${s.ok ? 'held' : '<strong>did not hold</strong>'}: ${esc(`${s.action}${s.target ? ` ${s.target}` : ''}: ${s.outcome}`)}</li>`).join('')}</ul>`
    : '';
  const url = record.evidence.finalUrl
    ? `<p>Final page: <code>${esc(record.evidence.finalUrl)}</code></p>`
    : '';
  const excerpt = record.evidence.excerpt
    ? `<h3>Page text at the end (excerpt)</h3><blockquote class="excerpt">${esc(record.evidence.excerpt)}</blockquote>`
    : '';
  return `<p class="reason">${esc(record.reason)}</p>${readings}${url}${excerpt}`;
}

function usage(record: RunRecord): string {
  const u = record.usage;
  if (u.llmCalls === 0) return '<p>No model was called for this run.</p>';
  const cache =
    u.cacheReadTokens || u.cacheWriteTokens
      ? `, of which ${u.cacheReadTokens ?? 0} read from and ${u.cacheWriteTokens ?? 0} written to the prompt cache`
      : '';
  const cost =
    u.costUsd === undefined ? 'unknown (model not in the price table)' : `about $${u.costUsd.toFixed(4)}`;
  return `<p>${u.llmCalls} model calls; ${u.inputTokens} input tokens${esc(cache)}; ${u.outputTokens} output tokens (thinking included). Cost: ${esc(cost)}.</p>`;
}

function files(record: RunRecord, base: string): string {
  if (record.status !== 'failed' && record.status !== 'error') return '';
  const shots = record.shots.length
    ? `<div class="shots">${record.shots
        .map(
          (s, i) =>
            `<figure><a href="${esc(`${base}/shots/${i}.jpg`)}"><img class="shot" src="${esc(`${base}/shots/${i}.jpg`)}" alt="${esc(`The page after step ${s.step + 1}: ${s.label}`)}" loading="lazy"></a><figcaption>After step ${s.step + 1}: ${esc(s.label)}</figcaption></figure>`,
        )
        .join(
          '',
        )}</div><p>Screenshots are kept 7 days, within a size cap per test and repository; the oldest go first.</p>`
    : '<p>No screenshot was kept for this run.</p>';
  const trace = record.trace
    ? `<p><a href="${esc(`${base}/trace.zip`)}" download>Download the Playwright trace (trace.zip)</a>; open it with <code>npx playwright show-trace trace.zip</code> or at trace.playwright.dev. Kept 7 days.</p>`
    : '';
  return `<h2>What the agent saw</h2>${shots}${trace}`;
}

/** The run page. */
export function runPage(test: StoredTest, record: RunRecord, viewer: Viewer): string {
  const d = test.definition;
  const base = runPath(d.repo, d.slug, record.runId);
  const testHref = base.replace(/\/runs\/[^/]+$/, '');
  const body = `${facts(record)}
<h2>Verdict and evidence</h2>${verdict(record)}
${files(record, base)}
<h2>Steps</h2>${stepsTable(record)}
<h2>Model usage and cost</h2>${usage(record)}
<p>Run id <code>${esc(record.runId)}</code>.</p>`;
  return layout(`${d.name}: run of ${when(record.startedAt)}`, body, viewer, [
    ['/', 'Repositories'],
    [testHref.replace(/\/[^/]+$/, ''), d.repo],
    [testHref, d.name],
  ]);
}
