/**
 * The incident use case: after a run was recorded, decide (core/incidents/state.ts, pure) and save
 * the decision together with the GitHub work it implies (create the issue, comment, close) in one
 * step: the outbox (core/incidents/outbox.ts). Carrying that work out is the drainer's job
 * (outbox-pass.ts), so GitHub being slow or down, or the process dying, can delay an issue but
 * never lose it. Safe to call again for the same run (a retried delivery): the decision is derived
 * from the history, and a create already waiting is not queued twice.
 *
 * Two ways in: `planIncident` over what a scheduled delivery's claim already read (its write then
 * rides in the delivery's record script), and `evaluateIncident`, which reads the state itself and
 * commits (the watchdog, a retried delivery, `/housecat run`, a stale snapshot).
 */

import { type AlertContext, alertWork } from '../core/incidents/alert-work.js';
import { decideMissed, type MissedFacts } from '../core/incidents/missed.js';
import type { DecisionWrite, OutboxItem } from '../core/incidents/outbox.js';
import {
  type IncidentLinks,
  reasonMarker,
  renderIncidentBody,
  renderIncidentTitle,
  renderReasonChangedComment,
  renderRecoveryComment,
  summaryMarker,
} from '../core/incidents/render.js';
import { movesIncidents } from '../core/incidents/run-source.js';
import { decideIncident, type IncidentDecision } from '../core/incidents/state.js';
import { computeRecoverySummary } from '../core/incidents/summary.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock, Logger, Store, StoredEvent, StoredResult } from '../core/ports.js';
import { DAY_MS as DAY } from '../core/time.js';
import type { Incident, TestDefinition } from '../core/types.js';

/** Enough history for any sane threshold even with inconclusive runs in between. */
export const INCIDENT_HISTORY = 100;

export interface IncidentDeps {
  store: Store;
  tracker: IssueTracker;
  clock: Clock;
  logger?: Logger;
  links?: IncidentLinks;
  /** This app's alert channels (core/notify): alerts are saved with the decision, as outbox items. */
  alerts?: AlertContext;
}

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
  const { store, clock } = deps;
  const { current, pending } = snapshot;
  const history = snapshot.history.filter(movesIncidents);
  const now = clock.now();
  const decision = options.missed
    ? decideMissed({ test, current, facts: options.missed, now })
    : decideIncident({ test, current, history, now });
  const waiting = pending.length;
  const item = <K extends OutboxItem['kind']>(kind: K, incident: Incident) => ({
    id: globalThis.crypto.randomUUID(),
    kind,
    testId: test.id,
    repo: test.repo,
    since: incident.since,
    createdAt: now,
    attempts: 0,
  });
  const done = (write: DecisionWrite, incident: Incident, status = incident.status): IncidentPlan => ({
    write,
    outcome: {
      decision: decision.kind,
      status,
      issueNumber: incident.issueNumber,
      queued: write.work.length,
      waiting,
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
      // Every failing run while the issue is missing decides "open" again: one create in the queue
      // is enough (and the marker would make a second one adopt the first's issue anyway).
      const queued = pending.some((i) => i.kind === 'create' && i.since === incident.since);
      const work: OutboxItem[] = [];
      if (!queued) {
        // A missed incident has no failed run behind it: an older failure must not be shown as its cause.
        const failure = incident.kind === 'missed' ? undefined : latestFailure(history);
        // Stream ids carry Redis's own time, not the run's: read the (capped) stream and pick the run.
        const events = failure ? (options.events ?? (await store.readEvents(test.id))) : [];
        const body = renderIncidentBody({
          test,
          incident,
          failure: failure ?? { reason: incident.lastReason, startedAt: incident.lastFailureAt, runId: '?' },
          events: events.filter((e) => !failure || e.runId === failure.runId),
          links: deps.links,
        });
        work.push({ ...item('create', incident), title: renderIncidentTitle(test), body });
      }
      // Alerts go out once per incident: when it opens, not when a later run finishes opening it.
      const opening = current === null || current.status === 'resolved';
      const failure = incident.kind === 'missed' ? undefined : latestFailure(history);
      const alerts = opening
        ? await alertWork(
            deps,
            test,
            {
              event: incident.kind === 'missed' ? 'missed' : 'opened',
              incident,
              ...(failure ? { run: failure } : {}),
            },
            now,
          )
        : [];
      work.push(...alerts);
      return done({ save: incident, work }, incident, 'open');
    }
    case 'update':
    case 'reason-changed': {
      let incident = decision.incident;
      if (incident.status === 'open' && incident.issueNumber !== undefined) {
        // A person may have closed the issue while we missed the webhook: that is an acknowledgement.
        // Only a read: when GitHub does not answer, the webhook (or the next run) tells us instead.
        try {
          const issue = await deps.tracker.getIssue(test.repo, incident.issueNumber);
          if (issue === null || issue.state === 'closed') incident = { ...incident, status: 'acknowledged' };
        } catch (error) {
          deps.logger?.warn(`could not check issue #${incident.issueNumber} of ${test.id}: ${String(error)}`);
        }
      }
      const work: OutboxItem[] = [];
      const failure = latestFailure(history);
      if (decision.kind === 'reason-changed' && incident.status === 'open' && failure) {
        work.push({
          ...item('comment', incident),
          issueNumber: incident.issueNumber,
          body: renderReasonChangedComment({
            previousReason: decision.previousReason,
            failure,
            incident,
            links: deps.links,
          }),
          marker: reasonMarker(test.id, failure.runId),
        });
        work.push(
          ...(await alertWork(
            deps,
            test,
            { event: 'reason_changed', incident, run: failure, previousReason: decision.previousReason },
            now,
          )),
        );
      }
      // The issue was found closed: a person acknowledged the incident.
      if (current?.status === 'open' && incident.status === 'acknowledged') {
        work.push(...(await alertWork(deps, test, { event: 'acknowledged', incident }, now)));
      }
      return done({ save: incident, work }, incident);
    }
    case 'resolve': {
      const { incident, recoveredAt } = decision;
      const work: OutboxItem[] = [];
      let alerts: OutboxItem[] = [];
      // The issue exists, or its create is still queued (then the drainer finds its number).
      const hasIssue =
        incident.issueNumber !== undefined ||
        pending.some((i) => i.kind === 'create' && i.since === incident.since);
      const alerted = (test.notify?.length ?? 0) > 0;
      if (hasIssue || alerted) {
        const [results, timings] = await Promise.all([
          store.getResults(test.id, { from: now - 30 * DAY, to: now, limit: 100_000 }),
          store.getTimings(test.id, { from: incident.since - DAY, to: now, limit: 100_000 }),
        ]);
        const summary = computeRecoverySummary({ incident, recoveredAt, now, results, timings });
        // The resolved alert carries the summary the issue gets.
        alerts = await alertWork(
          deps,
          test,
          {
            event: 'resolved',
            incident,
            summary,
            runs: results.filter(
              (r) => r.startedAt >= incident.since && r.status !== 'error' && r.status !== 'skipped',
            ).length,
            ...(history[0] ? { run: history[0] } : {}),
          },
          now,
        );
        if (hasIssue) {
          work.push({
            ...item('comment', incident),
            issueNumber: incident.issueNumber,
            body: renderRecoveryComment(summary),
            marker: summaryMarker(test.id, incident.since),
          });
        }
      }
      if (hasIssue) {
        // An acknowledged incident's issue was closed by a person: it stays as they left it.
        if (incident.status === 'open')
          work.push({ ...item('close', incident), issueNumber: incident.issueNumber });
      }
      work.push(...alerts);
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

function latestFailure(history: readonly StoredResult[]): StoredResult | undefined {
  return history.find((r) => r.status === 'failed');
}
