/**
 * The incident use case: after a run was recorded, decide (core/incidents/state.ts, pure) and save
 * the decision together with the GitHub work it implies (built in incident-work.ts: create the issue,
 * comment, close, alert) in one step: the outbox (core/incidents/outbox.ts). Carrying that work out
 * is the drainer's job (outbox-pass.ts), so GitHub being slow or down, or the process dying, can
 * delay an issue but never lose it. Safe to call again for the same run (a retried delivery): the decision is derived
 * from the history, and a create already waiting is not queued twice.
 *
 * Two ways in: `planIncident` over what a scheduled delivery's claim already read (its write then
 * rides in the delivery's record script), and `evaluateIncident`, which reads the state itself and
 * commits (the watchdog, a retried delivery, `/housecat run`, a stale snapshot).
 */

import { alertWork } from '../core/incidents/alert-work.js';
import { decideMissed, type MissedFacts } from '../core/incidents/missed.js';
import type { DecisionWrite, OutboxItem } from '../core/incidents/outbox.js';
import { movesIncidents } from '../core/incidents/run-source.js';
import { decideIncident, type IncidentDecision } from '../core/incidents/state.js';
import type { Clock, StoredEvent, StoredResult } from '../core/ports.js';
import type { Incident, TestDefinition } from '../core/types.js';
import {
  type DecisionContext,
  type IncidentDeps,
  openWork,
  resolveWork,
  updateWork,
} from './incident-work.js';

export type { IncidentDeps } from './incident-work.js';

/** Enough history for any sane threshold even with inconclusive runs in between. */
export const INCIDENT_HISTORY = 100;

export interface IncidentOutcome {
  decision: IncidentDecision['kind'];
  status?: Incident['status'];
  issueNumber?: number;
  /** GitHub work this decision queued in the outbox (0: nothing to do on GitHub). */
  queued?: number;
  /** GitHub work of earlier decisions still waiting in the outbox when this one was made. */
  waiting?: number;
  /** Alerts this decision queued (in their channels' queues: the drainer's pass sends them). */
  alerts?: number;
}

/** What a decision is made from: the record, the history (newest first) and the waiting work. */
export interface IncidentSnapshot {
  current: Incident | null;
  history: readonly StoredResult[];
  pending: readonly OutboxItem[];
}

/** A decision ready to be saved: `write` null when nothing changes. */
export interface IncidentPlan {
  outcome: IncidentOutcome;
  write: DecisionWrite | null;
}

/**
 * Evaluates the test's incident after a recorded run, or, with `missed`, after the watchdog found
 * its runs stopped, and saves the decision with its GitHub work.
 * Throws when the store fails (nothing was saved then: the caller may evaluate again).
 */
export async function evaluateIncident(
  deps: IncidentDeps,
  test: TestDefinition,
  options: { missed?: MissedFacts } = {},
): Promise<IncidentOutcome> {
  const [history, current, pending] = await Promise.all([
    deps.store.getResults(test.id, { limit: INCIDENT_HISTORY }),
    deps.store.getIncident(test.id),
    deps.store.outbox.pending(test.id),
  ]);
  const plan = await planIncident(deps, test, { current, history, pending }, options);
  if (plan.write) await deps.store.outbox.commit(plan.write);
  logPlan(deps, test, plan.outcome);
  return plan.outcome;
}

/** Logs what a saved decision means for people (an issue queued, an incident resolved). */
export function logPlan(deps: Pick<IncidentDeps, 'logger'>, test: TestDefinition, outcome: IncidentOutcome) {
  if (outcome.decision === 'open' && outcome.queued)
    deps.logger?.info(`incident opened for ${test.id}: its issue in ${test.repo} is queued`);
  if (outcome.decision === 'resolve')
    deps.logger?.info(
      `incident resolved for ${test.id}${outcome.issueNumber ? `: issue #${outcome.issueNumber}` : ''}`,
    );
}

/**
 * Decides from `snapshot` and builds the write, reading only what that write needs: the issue's
 * state on GitHub (an update), the recovery summary's results (a resolve with an issue), the failing
 * run's events (an open; `events` gives them when the caller has them).
 */
export async function planIncident(
  deps: IncidentDeps,
  test: TestDefinition,
  snapshot: IncidentSnapshot,
  options: { missed?: MissedFacts; events?: StoredEvent[] } = {},
): Promise<IncidentPlan> {
  const { current, pending } = snapshot;
  const history = snapshot.history.filter(movesIncidents);
  const now = deps.clock.now();
  const decision = options.missed
    ? decideMissed({ test, current, facts: options.missed, now })
    : decideIncident({ test, current, history, now });
  const ctx: DecisionContext = { deps, test, current, history, pending, now, events: options.events };
  const done = (write: DecisionWrite, incident: Incident, status = incident.status): IncidentPlan => ({
    write,
    outcome: {
      decision: decision.kind,
      status,
      issueNumber: incident.issueNumber,
      queued: write.work.length,
      waiting: pending.length,
      alerts: write.work.filter((w) => w.kind === 'notify').length,
    },
  });
  switch (decision.kind) {
    case 'none':
      return {
        write: null,
        outcome: { decision: 'none', status: current?.status, issueNumber: current?.issueNumber },
      };
    case 'open': {
      const { incident } = decision;
      return done({ save: incident, work: await openWork(ctx, incident) }, incident, 'open');
    }
    case 'update':
    case 'reason-changed': {
      const { incident, work } = await updateWork(ctx, decision);
      return done({ save: incident, work }, incident);
    }
    case 'resolve': {
      const { incident, recoveredAt } = decision;
      const work = await resolveWork(ctx, decision);
      return done({ close: { testId: test.id, resolvedAt: recoveredAt }, work }, incident, 'resolved');
    }
  }
}

/**
 * A person closed the incident issue: while the test still fails the incident is acknowledged — no
 * reopening, no new issue until it has recovered and failed again. Returns true when it applied.
 */
export async function acknowledgeIncident(
  deps: Pick<IncidentDeps, 'store' | 'alerts' | 'links' | 'logger'> & { clock?: Clock },
  testId: string,
  issueNumber: number,
  options: { test?: TestDefinition; by?: string } = {},
): Promise<boolean> {
  const current = await deps.store.getIncident(testId);
  if (current?.status !== 'open' || current.issueNumber !== issueNumber) return false;
  const incident: Incident = { ...current, status: 'acknowledged' };
  // With the test's routing known, the acknowledgement is an alert too, saved with the record.
  const work = options.test
    ? await alertWork(
        deps,
        options.test,
        { event: 'acknowledged', incident, ...(options.by ? { by: options.by } : {}) },
        deps.clock?.now() ?? Date.now(),
      )
    : [];
  if (work.length > 0) await deps.store.outbox.commit({ save: incident, work });
  else await deps.store.saveIncident(incident);
  return true;
}
