/**
 * Missed runs, decided in core: a scheduled test whose runs stopped coming (its QStash schedule
 * was deleted, points at an old URL, or every delivery fails before a result is recorded) gets an
 * incident of kind `missed`, opened through the same issue flow as a failing test. It opens once
 * (an active incident of any kind stays as it is, so no spam) and the next run decides what follows
 * (state.ts): a pass resolves it, a failure turns it into an ordinary failing incident.
 */
import type { Incident, TestDefinition } from '../types.js';
import type { IncidentDecision } from './state.js';

/** What the watchdog found. */
export interface MissedFacts {
  /** Epoch ms of the last run (or of the sync that created the test, when it never ran). */
  lastRunAt: number;
  /** "no runs since …; expected every 15 min", plus what is wrong with its schedule, if anything. */
  reason: string;
}

/** Opens a `missed` incident unless one of any kind is active. */
export function decideMissed(input: {
  test: Pick<TestDefinition, 'id' | 'repo'>;
  current: Incident | null;
  facts: MissedFacts;
  now: number;
}): IncidentDecision {
  const { test, current, facts, now } = input;
  if (current !== null && current.status !== 'resolved') return { kind: 'none' };
  return {
    kind: 'open',
    incident: {
      testId: test.id,
      repo: test.repo,
      status: 'open',
      kind: 'missed',
      since: facts.lastRunAt,
      openedAt: now,
      // Any run that starts after the watchdog looked answers the incident.
      lastFailureAt: now,
      lastReason: facts.reason,
      failedRuns: 0,
    },
  };
}
