/**
 * Small formatting helpers shared by every report: durations, statuses, the failed step.
 */
import {
  RUN_STATUSES,
  type RunResult,
  type RunStatus,
  type StepRecord,
  type TestDefinition,
} from '../types.js';

/**
 * `340 ms`, `1.2 s`, `2 min 03 s`: how long a run took (milliseconds, read to the millisecond under
 * a second). Longer spans such as downtime read coarser: formatTimeSpan in core/time.ts.
 */
export function formatRunDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/**
 * Worst first: the order reports list their tests' details in, so a failure is read before a pass.
 * Not the packed order of hourly rollups (STATUS_ORDER in core/status/rollup.ts), a storage format.
 */
export const WORST_FIRST: readonly RunStatus[] = ['failed', 'error', 'skipped', 'passed'];

/** Emoji + word, for Markdown (job summary, PR comment, check run). */
export const STATUS_BADGE: Record<RunStatus, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  skipped: '⏭️ skipped',
};

/**
 * The step that decided a failed or errored run: the agent's own failing verdict if it gave one,
 * else the first failing step that is not a refused request (`blocked`) nor a note that a later
 * part did not run (`agent:*`). A page can try to reach many hosts it may not (a live-reload
 * script, analytics) and still fail for another reason; blocked requests are blamed only when
 * nothing else failed. They are listed apart by {@link blockedSteps}.
 */
export function failedStep(result: RunResult): StepRecord | undefined {
  if (result.status === 'passed') return undefined;
  const failing = result.steps.filter((s) => !s.ok);
  return (
    failing.find((s) => s.action === 'verdict') ??
    failing.find((s) => s.action !== 'blocked' && !s.action.startsWith('agent:')) ??
    failing[0]
  );
}

/** The requests the host policy refused, one line each: `blocked: URL (reason)`. */
export function blockedSteps(result: RunResult): string[] {
  return result.steps
    .filter((s) => s.action === 'blocked')
    .map((s) => `blocked: ${s.target ?? 'a request'} (${s.outcome})`);
}

/** `check:text "Welcome": not found on the page`. */
export function describeStep(step: StepRecord): string {
  return `${step.action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}`;
}

/** Test names by id, falling back to the id for results whose test is unknown. */
export function nameOf(tests: TestDefinition[]): (testId: string) => string {
  const names = new Map(tests.map((t) => [t.id, t.name]));
  return (id) => names.get(id) ?? id;
}

/** `3 passed, 1 failed, 1 skipped` (zero counts left out; `no tests` when empty). */
export function countsLine(counts: Record<RunStatus, number>): string {
  const parts = RUN_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'no tests';
}

/**
 * One line, at most `max` characters (an ellipsis marks the cut). Control characters are replaced:
 * reasons quote the tested site, and a page must not be able to drive the terminal.
 */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD')
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}
