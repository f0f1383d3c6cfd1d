/**
 * Markdown for the places reviewers look: the job summary, the PR comment and the check run.
 * Reasons and steps carry text from the tested site, so everything is escaped: no HTML, no table
 * breakage, no @-mentions that would notify strangers, no fake HouseCat marker.
 */
import type { StoredResult } from '../ports.js';
import type { RunResult, RunStatus, TestDefinition } from '../types.js';
import { countsOf } from './counts.js';
import {
  blockedSteps,
  countsLine,
  describeStep,
  failedStep,
  formatRunDuration,
  nameOf,
  oneLine,
  STATUS_BADGE,
  WORST_FIRST,
} from './format.js';
import { hasAiRuns, modeOf, tokensOf, usageLine } from './usage.js';

/** Hidden marker that identifies HouseCat's PR comment, so it is updated instead of duplicated. */
export const PR_COMMENT_MARKER = '<!-- housecat:pr-comment -->';

/** Escapes text for a Markdown table cell or paragraph. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]#])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

export interface SummaryOptions {
  title?: string;
  durationMs?: number;
  /** Shown under the title, e.g. the preview URL tested. */
  baseUrl?: string;
  /** Notes shown as a list under the table (fork, missing key, store problems). */
  notes?: string[];
  /** Steps listed per failure (default 20); the rest are counted. */
  maxSteps?: number;
  /**
   * Per test id: the workflow artifact holding a failure's screenshots and trace (the Action's run
   * mode uploads them), linked from the failure's details.
   */
  artifacts?: Record<string, { name: string; url: string }>;
  /** Each failure says how to run it again locally (`housecat run --only SLUG …`). */
  reproduce?: boolean;
}

/** The local command that runs one test again, against the same base URL when there was one. */
export function reproduceCommand(slug: string, baseUrl?: string): string {
  return `housecat run --only ${slug}${baseUrl ? ` --base-url ${baseUrl}` : ''}`;
}

/** Headline such as `❌ HouseCat: 1 failed, 3 passed`. */
export function headline(results: RunResult[], title = 'HouseCat'): string {
  const counts = countsOf(results);
  const icon = counts.failed > 0 ? '❌' : counts.error > 0 ? '⚠️' : counts.passed > 0 ? '✅' : '⏭️';
  return `${icon} ${title}: ${countsLine(counts)}`;
}

/**
 * The table of every test: name, status, duration, reason — with the mode and tokens of each test
 * and a usage total when an AI goal ran.
 */
export function resultsTable(results: RunResult[], tests: TestDefinition[]): string {
  const name = nameOf(tests);
  const ai = hasAiRuns(results);
  const usage = (r: RunResult) => (ai ? ` ${modeOf(r)} | ${tokensOf(r)} |` : '');
  const rows = results.map(
    (r) =>
      `| ${escapeMarkdown(oneLine(name(r.testId), 80))} | ${STATUS_BADGE[r.status]} | ${formatRunDuration(r.durationMs)} |${usage(r)} ${escapeMarkdown(oneLine(r.reason, 300))} |`,
  );
  const header = ai
    ? ['| Test | Status | Duration | Mode | Tokens | Reason |', '| --- | --- | --- | --- | --- | --- |']
    : ['| Test | Status | Duration | Reason |', '| --- | --- | --- | --- |'];
  const table = [...header, ...rows].join('\n');
  return ai ? `${table}\n\n${escapeMarkdown(usageLine(results))}` : table;
}

/** Details of every failed or errored test: reason, failed step, and the steps taken. */
export function failureDetails(
  results: RunResult[],
  tests: TestDefinition[],
  maxSteps = 20,
  options: Pick<SummaryOptions, 'artifacts' | 'reproduce' | 'baseUrl'> = {},
): string {
  const name = nameOf(tests);
  const slugOf = new Map(tests.map((t) => [t.id, t.slug]));
  const sorted = [...results]
    .filter((r) => r.status === 'failed' || r.status === 'error')
    .sort((a, b) => WORST_FIRST.indexOf(a.status) - WORST_FIRST.indexOf(b.status));
  return sorted
    .map((r) => {
      const step = failedStep(r);
      const lines = [
        `### ${STATUS_BADGE[r.status]}: ${escapeMarkdown(oneLine(name(r.testId), 80))}`,
        '',
        `**Reason:** ${escapeMarkdown(oneLine(r.reason, 1000))}`,
      ];
      if (step) lines.push('', `**Failed step:** ${escapeMarkdown(oneLine(describeStep(step), 500))}`);
      for (const line of blockedSteps(r).slice(0, 5)) lines.push('', escapeMarkdown(oneLine(line, 300)));
      if (r.evidence.finalUrl) lines.push('', `**Page:** ${escapeMarkdown(r.evidence.finalUrl)}`);
      const artifact = options.artifacts?.[r.testId];
      if (artifact)
        lines.push(
          '',
          `**Screenshots and trace:** [${escapeMarkdown(artifact.name)}](${artifact.url}) (workflow artifact)`,
        );
      const slug = slugOf.get(r.testId);
      // Base URLs come from our own input or event (an http(s) origin): safe inside a code span.
      if (options.reproduce && slug)
        lines.push('', `**Reproduce:** \`${reproduceCommand(slug, options.baseUrl)}\``);
      if (r.steps.length > 0) {
        const shown = r.steps.slice(0, maxSteps);
        lines.push(
          '',
          `<details><summary>${r.steps.length} step${r.steps.length === 1 ? '' : 's'}</summary>`,
          '',
          ...shown.map(
            (s, i) => `${i + 1}. ${s.ok ? '✓' : '✗'} ${escapeMarkdown(oneLine(describeStep(s), 300))}`,
          ),
          ...(r.steps.length > shown.length
            ? [`${shown.length + 1}. … ${r.steps.length - shown.length} more`]
            : []),
          '',
          '</details>',
        );
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

/** The job summary: headline, table of every test, then the failures in detail. */
export function renderSummaryMarkdown(
  results: RunResult[],
  tests: TestDefinition[],
  options: SummaryOptions = {},
): string {
  const parts = [`## ${headline(results, options.title)}`];
  const meta: string[] = [];
  if (options.baseUrl) meta.push(`Tested against ${escapeMarkdown(options.baseUrl)}`);
  if (options.durationMs !== undefined) meta.push(`in ${formatRunDuration(options.durationMs)}`);
  if (meta.length > 0) parts.push(meta.join(' '));
  parts.push(results.length > 0 ? resultsTable(results, tests) : '_No tests were selected._');
  if (options.notes && options.notes.length > 0)
    parts.push(options.notes.map((n) => `> ${escapeMarkdown(n)}`).join('\n>\n'));
  const details = failureDetails(results, tests, options.maxSteps, options);
  if (details) parts.push(details);
  return `${parts.join('\n\n')}\n`;
}

/** One line of the diff against the base branch. */
export interface BaselineChange {
  testId: string;
  before?: RunStatus;
  after: RunStatus;
}

/**
 * What changed compared with the last run of each test on the base branch. Tests without a base
 * run are "new"; unchanged tests are only counted.
 */
export function diffAgainstBase(
  results: RunResult[],
  baseline: Map<string, StoredResult | undefined>,
): { changes: BaselineChange[]; unchanged: number } {
  const changes: BaselineChange[] = [];
  let unchanged = 0;
  for (const r of results) {
    const before = baseline.get(r.testId)?.status;
    if (before === r.status) unchanged++;
    else changes.push({ testId: r.testId, ...(before ? { before } : {}), after: r.status });
  }
  return { changes, unchanged };
}

export interface PrCommentOptions extends SummaryOptions {
  /** Last result of each test on the base branch (from the store); absent: no diff section. */
  baseline?: Map<string, StoredResult | undefined>;
  baseBranch?: string;
  /** Link to the workflow run, for the full logs. */
  runUrl?: string;
  commit?: string;
}

/** GitHub refuses comment bodies over 65,536 characters. */
const COMMENT_LIMIT = 60_000;

/** The PR comment: marker, headline, table, diff vs the base branch, failures. */
export function renderPrComment(
  results: RunResult[],
  tests: TestDefinition[],
  options: PrCommentOptions = {},
): string {
  const parts = [PR_COMMENT_MARKER, `## ${headline(results, options.title)}`];
  const meta: string[] = [];
  if (options.commit) meta.push(`Commit ${escapeMarkdown(options.commit.slice(0, 7))}`);
  if (options.baseUrl) meta.push(`against ${escapeMarkdown(options.baseUrl)}`);
  if (options.runUrl) meta.push(`· [workflow run](${options.runUrl})`);
  if (meta.length > 0) parts.push(meta.join(' '));
  parts.push(results.length > 0 ? resultsTable(results, tests) : '_No tests were selected._');
  if (options.baseline) {
    const name = nameOf(tests);
    const base = escapeMarkdown(options.baseBranch ?? 'the base branch');
    const { changes, unchanged } = diffAgainstBase(results, options.baseline);
    const lines = changes.map(
      (c) =>
        `- ${escapeMarkdown(name(c.testId))}: ${c.before ? `${STATUS_BADGE[c.before]} on ${base}` : `no run on ${base} yet`} → ${STATUS_BADGE[c.after]} here`,
    );
    parts.push(
      `**Compared with the last run on ${base}:** ${changes.length === 0 ? 'no change' : `${changes.length} changed`}${unchanged > 0 ? `, ${unchanged} unchanged` : ''}` +
        (lines.length > 0 ? `\n\n${lines.join('\n')}` : ''),
    );
  }
  if (options.notes && options.notes.length > 0)
    parts.push(options.notes.map((n) => `> ${escapeMarkdown(n)}`).join('\n>\n'));
  const details = failureDetails(results, tests, options.maxSteps ?? 10, options);
  if (details) parts.push(details);
  let body = `${parts.join('\n\n')}\n`;
  if (body.length > COMMENT_LIMIT) {
    body = `${body.slice(0, COMMENT_LIMIT)}\n\n… (cut: see the job summary for the full report)\n`;
  }
  return body;
}
