/**
 * What people read in the incident issue: title, body, "reason changed" comment, recovery summary,
 * and the reply to `/housecat run`. Pure Markdown rendering.
 *
 * Failure reasons and events come from the page under test, which may be hostile: they are put in
 * code blocks (no @mentions, no links, no HTML), and the hidden marker is only ever recognised on the
 * first line of the body, never inside quoted text.
 */
import { parseTestId } from '../ids.js';
import type { StoredEvent, StoredResult } from '../ports.js';
import { formatTime, formatTimeSpan } from '../time.js';
import type { Incident, RunResult, TestDefinition } from '../types.js';
import type { RecoverySummary } from './summary.js';

/** The hidden marker that identifies a test's incident issue. First line of the body. */
export function incidentMarker(testId: string): string {
  return `<!-- housecat:incident test=${testId} -->`;
}

/** Hidden marker of the recovery summary of one incident (identified by its start). */
export function summaryMarker(testId: string, since: number): string {
  return `<!-- housecat:summary test=${testId} since=${since} -->`;
}

/**
 * Hidden marker of the "reason changed" comment about one failed run: a redelivery that evaluates
 * the same run again finds it and does not post the comment twice.
 */
export function reasonMarker(testId: string, runId: string): string {
  return `<!-- housecat:reason test=${testId} run=${runId} -->`;
}

/** True when `body` is the incident issue of `testId` (marker on its first line). */
export function hasIncidentMarker(body: string | null | undefined, testId: string): boolean {
  if (!body) return false;
  const firstLine = body.split('\n', 1)[0]!.trim();
  return firstLine === incidentMarker(testId);
}

/** The test id named by an incident marker on the body's first line, or null. */
export function markerTestId(body: string | null | undefined): string | null {
  if (!body) return null;
  const m = /^<!-- housecat:incident test=([a-z0-9._-]+) -->$/.exec(body.split('\n', 1)[0]!.trim());
  return m ? m[1]! : null;
}

/** Puts untrusted text in a fenced block no content can break out of. */
export function codeBlock(text: string, maxChars = 1500): string {
  const clipped = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  const longest = Math.max(2, ...[...clipped.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${clipped}\n${fence}`;
}

/** Untrusted text on one line, as inline code. */
function inline(text: string, maxChars = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const clipped = one.length > maxChars ? `${one.slice(0, maxChars)}…` : one;
  const ticks = Math.max(0, ...[...clipped.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  return `${fence} ${clipped} ${fence}`;
}

export function renderIncidentTitle(test: Pick<TestDefinition, 'name'>): string {
  return `🔴 ${test.name} is failing`;
}

export interface IncidentLinks {
  /** Public base URL of the HouseCat app, when known. */
  app?: string;
  /** The definitions file in the repository. */
  definitions?: string;
}

/**
 * The dashboard's run page of one run (issue 29), when the app's public URL is known and the run
 * is a real one (a missed incident has none). Only people with access to the repository open it.
 */
export function runPageUrl(
  app: string | undefined,
  incident: Pick<Incident, 'repo' | 'testId'>,
  runId: string,
): string | undefined {
  const slug = parseTestId(incident.testId)?.slug;
  if (!app || !slug || !/^[A-Za-z0-9-]{1,64}$/.test(runId)) return undefined;
  const path = [...incident.repo.split('/'), slug, 'runs', runId].map(encodeURIComponent).join('/');
  return `${app.replace(/\/$/, '')}/r/${path}`;
}

/** `run \`id\``, linked to its run page when there is one. */
function runRef(runId: string, url: string | undefined): string {
  return url ? `run [\`${runId}\`](${url})` : `run \`${runId}\``;
}

export function renderIncidentBody(input: {
  test: Pick<TestDefinition, 'id' | 'name' | 'url' | 'goal' | 'schedule' | 'failureThreshold' | 'repo'>;
  incident: Incident;
  failure: Pick<StoredResult, 'reason' | 'failedStep' | 'startedAt' | 'runId'>;
  events: readonly Pick<StoredEvent, 'type' | 'message' | 'at'>[];
  links?: IncidentLinks;
}): string {
  const { test, incident, failure, events, links } = input;
  const lines = [
    incidentMarker(test.id),
    incident.kind === 'missed'
      ? `**${test.name}** has stopped running on its schedule: ${incident.lastReason}.`
      : `**${test.name}** has failed ${incident.failedRuns} runs in a row (threshold: ${test.failureThreshold}).`,
    '',
    `| | |`,
    `|---|---|`,
    `| URL | ${inline(test.url, 300)} |`,
    `| Failing since | ${formatTime(incident.since)} |`,
    `| Last failure | ${formatTime(failure.startedAt)} (${runRef(failure.runId, runPageUrl(links?.app, incident, failure.runId))}) |`,
    ...(test.schedule ? [`| Schedule | \`${test.schedule}\` (UTC) |`] : []),
    `| Test id | \`${test.id}\` |`,
    '',
  ];
  if (test.goal) lines.push('**Goal**', '', codeBlock(test.goal, 1000), '');
  lines.push('**Why it failed**', '', codeBlock(failure.reason));
  if (failure.failedStep) lines.push('', '**Failed step**', '', codeBlock(failure.failedStep, 500));
  const runUrl = runPageUrl(links?.app, incident, failure.runId);
  if (runUrl)
    lines.push(
      '',
      `Steps, screenshots and the trace of this run: [run page](${runUrl}) (needs access to the repository).`,
    );
  const last = events.slice(-10);
  if (last.length > 0) {
    lines.push(
      '',
      '<details><summary>Last events</summary>',
      '',
      codeBlock(
        last
          .map((e) => `${new Date(e.at).toISOString().slice(11, 19)} ${e.type.padEnd(5)} ${e.message}`)
          .join('\n'),
        3000,
      ),
      '',
      '</details>',
    );
  }
  lines.push(
    '',
    '---',
    'HouseCat comments here only when the failure reason changes, and closes this issue with a results summary when the test passes again.',
    '- Comment `/housecat run` to run the test now (needs write access).',
    '- Close this issue to acknowledge the incident: HouseCat will not reopen it, and opens a new one only after the test has recovered and failed again.',
  );
  const refs: string[] = [];
  if (links?.definitions) refs.push(`[test definition](${links.definitions})`);
  if (links?.app) refs.push(`[HouseCat app](${links.app})`);
  if (refs.length > 0) lines.push(`- Links: ${refs.join(' · ')}`);
  return lines.join('\n');
}

export function renderReasonChangedComment(input: {
  previousReason: string;
  failure: Pick<StoredResult, 'reason' | 'failedStep' | 'startedAt' | 'runId'>;
  incident: Incident;
  links?: IncidentLinks;
}): string {
  const { failure, incident } = input;
  const run = runRef(failure.runId, runPageUrl(input.links?.app, incident, failure.runId));
  const lines = [
    `🔁 **Still failing, for a different reason** (${run}, ${formatTime(failure.startedAt)}; ${incident.failedRuns} failed runs since ${formatTime(incident.since)}).`,
    '',
    codeBlock(failure.reason),
  ];
  if (failure.failedStep) lines.push('', 'Failed step:', '', codeBlock(failure.failedStep, 500));
  lines.push('', 'Before:', '', codeBlock(input.previousReason, 500));
  return lines.join('\n');
}

const pct = (x: number | undefined) =>
  x === undefined ? 'no runs' : `${(Math.floor(x * 10_000) / 100).toFixed(2)} %`;
const ms = (x: number | undefined) => (x === undefined ? '–' : `${Math.round(x)} ms`);

export function renderRecoveryComment(summary: RecoverySummary): string {
  const measure = summary.during.measure === 'response' ? 'Response time' : 'Run duration';
  const lines = [
    summaryMarker(summary.testId, summary.firstFailureAt),
    `✅ **Recovered** at ${formatTime(summary.recoveredAt)} after ${formatTimeSpan(summary.downtimeMs)} of downtime.`,
    '',
    '| | |',
    '|---|---|',
    `| Downtime | ${formatTimeSpan(summary.downtimeMs)} |`,
    `| Failed runs | ${summary.failedRuns} |`,
    `| First failure | ${formatTime(summary.firstFailureAt)} |`,
    `| Last failure | ${formatTime(summary.lastFailureAt)} |`,
    `| ${measure} before (24 h) | p50 ${ms(summary.before.p50)}, p95 ${ms(summary.before.p95)} (${summary.before.samples} runs) |`,
    `| ${measure} during | p50 ${ms(summary.during.p50)}, p95 ${ms(summary.during.p95)} (${summary.during.samples} runs) |`,
    `| Uptime 24 h / 7 d / 30 d | ${pct(summary.uptime.h24)} / ${pct(summary.uptime.d7)} / ${pct(summary.uptime.d30)} |`,
    '',
    `**Reasons seen** (${summary.reasons.length})`,
    '',
    ...summary.reasons.slice(0, 5).flatMap((r) => [`${r.count}×`, codeBlock(r.reason, 500), '']),
    'Uptime counts passed and failed runs; inconclusive runs (errors, skips) are left out.',
  ];
  return lines.join('\n');
}

/** The reply to `/housecat run`. */
export function renderRunReply(
  result: Pick<RunResult, 'status' | 'reason' | 'durationMs' | 'runId'>,
  login: string,
): string {
  const icon = { passed: '✅', failed: '🔴', error: '⚠️', skipped: '⏭️' }[result.status];
  return [
    `${icon} Run requested by @${login}: **${result.status}** in ${formatTimeSpan(result.durationMs)} (run \`${result.runId}\`).`,
    '',
    codeBlock(result.reason),
  ].join('\n');
}
