/**
 * The incident use case: after a run was recorded, read the history, decide (state.ts), and save the
 * decision together with the GitHub work it implies (create the issue, comment, close) in one
 * transaction: the outbox (outbox.ts). Carrying that work out is the drainer's job
 * (src/app/drain-outbox.ts), so GitHub being slow or down, or the process dying, can delay an issue
 * but never lose it. Safe to call again for the same run (a retried delivery): the decision is
 * derived from the history, and a create already waiting is not queued twice.
 */
import type { Clock, Logger, Store, StoredResult } from '../ports.js';
import type { Incident, TestDefinition } from '../types.js';
import { decideMissed, type MissedFacts } from './missed.js';
import type { OutboxItem } from './outbox.js';
import {
  type IncidentLinks,
  reasonMarker,
  renderIncidentBody,
  renderIncidentTitle,
  renderReasonChangedComment,
  renderRecoveryComment,
  summaryMarker,
} from './render.js';
import { movesIncidents } from './run-source.js';
import { decideIncident, type IncidentDecision } from './state.js';
import { computeRecoverySummary } from './summary.js';
import type { IssueTracker } from './tracker.js';

const DAY = 86_400_000;
/** Enough history for any sane threshold even with inconclusive runs in between. */
const HISTORY = 100;

export interface IncidentDeps {
  store: Store;
  tracker: IssueTracker;
  clock: Clock;
  logger?: Logger;
  links?: IncidentLinks;
}

export interface IncidentOutcome {
  decision: IncidentDecision['kind'];
  status?: Incident['status'];
  issueNumber?: number;
  /** GitHub work this decision queued in the outbox (0: nothing to do on GitHub). */
  queued?: number;
  /** GitHub work of earlier decisions still waiting in the outbox when this one was made. */
  waiting?: number;
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
  const { store, clock } = deps;
  const [recorded, current, pending] = await Promise.all([
    store.getResults(test.id, { limit: HISTORY }),
    store.getIncident(test.id),
    store.outbox.pending(test.id),
  ]);
  const history = recorded.filter(movesIncidents);
  const decision = options.missed
    ? decideMissed({ test, current, facts: options.missed, now: clock.now() })
    : decideIncident({ test, current, history, now: clock.now() });
  const now = clock.now();
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
  switch (decision.kind) {
    case 'none':
      return { decision: 'none', status: current?.status, issueNumber: current?.issueNumber };
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
        const events = failure ? await store.readEvents(test.id) : [];
        const body = renderIncidentBody({
          test,
          incident,
          failure: failure ?? { reason: incident.lastReason, startedAt: incident.lastFailureAt, runId: '?' },
          events: events.filter((e) => !failure || e.runId === failure.runId),
          links: deps.links,
        });
        work.push({ ...item('create', incident), title: renderIncidentTitle(test), body });
      }
      await store.outbox.commit({ save: incident, work });
      if (work.length > 0)
        deps.logger?.info(`incident opened for ${test.id}: its issue in ${test.repo} is queued`);
      return {
        decision: 'open',
        status: 'open',
        issueNumber: incident.issueNumber,
        queued: work.length,
        waiting,
      };
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
      }
      await store.outbox.commit({ save: incident, work });
      return {
        decision: decision.kind,
        status: incident.status,
        issueNumber: incident.issueNumber,
        queued: work.length,
        waiting,
      };
    }
    case 'resolve': {
      const { incident, recoveredAt } = decision;
      const work: OutboxItem[] = [];
      // The issue exists, or its create is still queued (then the drainer finds its number).
      const hasIssue =
        incident.issueNumber !== undefined ||
        pending.some((i) => i.kind === 'create' && i.since === incident.since);
      if (hasIssue) {
        const [results, timings] = await Promise.all([
          store.getResults(test.id, { from: now - 30 * DAY, to: now, limit: 100_000 }),
          store.getTimings(test.id, { from: incident.since - DAY, to: now, limit: 100_000 }),
        ]);
        const summary = computeRecoverySummary({ incident, recoveredAt, now, results, timings });
        work.push({
          ...item('comment', incident),
          issueNumber: incident.issueNumber,
          body: renderRecoveryComment(summary),
          marker: summaryMarker(test.id, incident.since),
        });
        // An acknowledged incident's issue was closed by a person: it stays as they left it.
        if (incident.status === 'open')
          work.push({ ...item('close', incident), issueNumber: incident.issueNumber });
      }
      await store.outbox.commit({ close: { testId: test.id, resolvedAt: recoveredAt }, work });
      deps.logger?.info(
        `incident resolved for ${test.id}${incident.issueNumber ? `: issue #${incident.issueNumber}` : ''}`,
      );
      return {
        decision: 'resolve',
        status: 'resolved',
        issueNumber: incident.issueNumber,
        queued: work.length,
        waiting,
      };
    }
  }
}

/**
 * A person closed the incident issue: while the test still fails the incident is acknowledged — no
 * reopening, no new issue until it has recovered and failed again. Returns true when it applied.
 */
export async function acknowledgeIncident(
  deps: Pick<IncidentDeps, 'store'>,
  testId: string,
  issueNumber: number,
): Promise<boolean> {
  const current = await deps.store.getIncident(testId);
  if (current?.status !== 'open' || current.issueNumber !== issueNumber) return false;
  await deps.store.saveIncident({ ...current, status: 'acknowledged' });
  return true;
}

function latestFailure(history: readonly StoredResult[]): StoredResult | undefined {
  return history.find((r) => r.status === 'failed');
}
