/**
 * The incident state machine, pure. It is derived from the stored run history (newest first) and the
 * current incident record, so evaluating it twice for the same history gives the same decision:
 * a retried delivery can re-evaluate without double counting.
 *
 * Rules:
 * - `failureThreshold` consecutive failed runs open an incident; `recoveryThreshold` consecutive
 *   passes resolve it. `error` and `skipped` runs are inconclusive: they count for neither and do
 *   not break a streak.
 * - While an incident is open, a comment is due only when the failure reason changes.
 * - An acknowledged incident (a person closed its issue while the test failed) is never reopened:
 *   when the test recovers it resolves like an open one (the results summary is posted on the
 *   closed issue, which stays closed), and only a later failure streak opens a new one.
 */
import { BUILT_IN_DEFAULTS } from '../config/schema.js';
import type { StoredResult } from '../ports.js';
import type { Incident, TestDefinition } from '../types.js';

export interface IncidentPolicy {
  failureThreshold: number;
  recoveryThreshold: number;
}

/** What should happen after a run. Every variant that carries `incident` carries the record to save. */
export type IncidentDecision =
  /** Nothing to do (no incident, and none due). */
  | { kind: 'none' }
  /** Open an incident (or finish opening one whose issue is missing): create the issue, reconciled by marker. */
  | { kind: 'open'; incident: Incident }
  /** Still failing, same reason: update the record only. */
  | { kind: 'update'; incident: Incident }
  /** Still failing with a different reason: comment once, then update the record. */
  | { kind: 'reason-changed'; incident: Incident; previousReason: string }
  /** Recovered: post the results summary, close the issue (if still open), resolve the record. */
  | { kind: 'resolve'; incident: Incident; recoveredAt: number };

/** Counted (conclusive) results only: `passed` or `failed`. */
export function conclusive(results: readonly StoredResult[]): StoredResult[] {
  return results.filter((r) => r.status === 'passed' || r.status === 'failed');
}

/** Length of the run of `status` at the head of newest-first conclusive results. */
export function streak(results: readonly StoredResult[], status: 'passed' | 'failed'): StoredResult[] {
  const out: StoredResult[] = [];
  for (const r of conclusive(results)) {
    if (r.status !== status) break;
    out.push(r);
  }
  return out;
}

/**
 * Failure reasons vary in their measurements ("took 3012 ms", "took 3020 ms") without being a new
 * problem: compare them with numbers blanked out.
 */
export function sameReason(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/\d+(\.\d+)?/g, '#')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b);
}

export function policyOf(
  test: Pick<TestDefinition, 'failureThreshold' | 'recoveryThreshold'>,
): IncidentPolicy {
  return {
    failureThreshold: Math.max(1, test.failureThreshold || BUILT_IN_DEFAULTS.failureThreshold),
    recoveryThreshold: Math.max(1, test.recoveryThreshold || BUILT_IN_DEFAULTS.recoveryThreshold),
  };
}

/**
 * Decides what the latest run means for the test's incident.
 * @param history stored results, newest first, including the run just recorded; at least
 *   `max(thresholds)` conclusive results deep (more inconclusive ones may be interleaved).
 * @param current the incident record, or null.
 */
export function decideIncident(input: {
  test: Pick<TestDefinition, 'id' | 'repo' | 'failureThreshold' | 'recoveryThreshold'>;
  current: Incident | null;
  history: readonly StoredResult[];
  now: number;
}): IncidentDecision {
  const { test, current, history, now } = input;
  const policy = policyOf(test);
  // An inconclusive run changes no streak, so it changes nothing.
  const newest = history[0];
  if (!newest || (newest.status !== 'passed' && newest.status !== 'failed')) return { kind: 'none' };
  const counted = conclusive(history);
  const latest = counted[0];
  if (!latest) return { kind: 'none' };
  const active = current !== null && current.status !== 'resolved' ? current : null;

  if (!active) {
    const fails = streak(counted, 'failed');
    if (fails.length < policy.failureThreshold) return { kind: 'none' };
    const first = fails[fails.length - 1]!;
    return {
      kind: 'open',
      incident: {
        testId: test.id,
        repo: test.repo,
        status: 'open',
        since: first.startedAt,
        openedAt: now,
        lastFailureAt: latest.startedAt,
        lastReason: latest.reason,
        failedRuns: fails.length,
      },
    };
  }

  if (active.kind === 'missed') return answerMissed(active, latest);

  const passes = streak(counted, 'passed');
  if (passes.length >= policy.recoveryThreshold) {
    const firstPass = passes[passes.length - 1]!;
    return { kind: 'resolve', incident: { ...active }, recoveredAt: firstPass.startedAt };
  }
  if (latest.status !== 'failed') return { kind: 'none' };

  // Count a failure only when it is newer than the last one counted: re-evaluating the same run
  // (a retried delivery) must not count it twice.
  const isNew = latest.startedAt > active.lastFailureAt;
  const failedRuns = isNew ? active.failedRuns + 1 : active.failedRuns;
  const incident: Incident = {
    ...active,
    lastFailureAt: Math.max(active.lastFailureAt, latest.startedAt),
    failedRuns,
    lastReason: latest.reason,
  };
  if (active.status === 'open' && active.issueNumber === undefined) return { kind: 'open', incident };
  if (active.status === 'open' && !sameReason(active.lastReason, latest.reason)) {
    return { kind: 'reason-changed', incident, previousReason: active.lastReason };
  }
  return { kind: 'update', incident };
}

/**
 * The first run after the watchdog opened a `missed` incident: runs are back. A pass resolves it;
 * a failure keeps the issue and makes it an ordinary failing incident (its reason changed).
 */
function answerMissed(active: Incident, latest: StoredResult): IncidentDecision {
  if (latest.startedAt <= active.lastFailureAt) return { kind: 'none' };
  if (latest.status === 'passed') {
    return { kind: 'resolve', incident: { ...active }, recoveredAt: latest.startedAt };
  }
  const { kind: _missed, ...rest } = active;
  const incident: Incident = {
    ...rest,
    lastFailureAt: latest.startedAt,
    lastReason: latest.reason,
    failedRuns: 1,
  };
  if (incident.status === 'open' && incident.issueNumber === undefined) return { kind: 'open', incident };
  if (incident.status === 'open')
    return { kind: 'reason-changed', incident, previousReason: active.lastReason };
  return { kind: 'update', incident };
}
