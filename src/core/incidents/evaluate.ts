/**
 * The incident use case: after a run was recorded, read the history, decide (state.ts), and make the
 * issue tracker and the incident record agree with the decision. Safe to call again for the same run
 * (a retried delivery): every step is idempotent or reconciled by marker.
 */
import type { Clock, Logger, Store, StoredResult } from '../ports.js';
import type { Incident, TestDefinition } from '../types.js';
import { decideMissed, type MissedFacts } from './missed.js';
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
}

/**
 * Evaluates the test's incident after a recorded run, or, with `missed`, after the watchdog found
 * its runs stopped. Throws ServiceError-like errors from the tracker (the caller decides).
 */
export async function evaluateIncident(
  deps: IncidentDeps,
  test: TestDefinition,
  options: { missed?: MissedFacts } = {},
): Promise<IncidentOutcome> {
  const { store, tracker, clock } = deps;
  const [recorded, current] = await Promise.all([
    store.getResults(test.id, { limit: HISTORY }),
    store.getIncident(test.id),
  ]);
  const history = recorded.filter(movesIncidents);
  const decision = options.missed
    ? decideMissed({ test, current, facts: options.missed, now: clock.now() })
    : decideIncident({ test, current, history, now: clock.now() });
  switch (decision.kind) {
    case 'none':
      return { decision: 'none', status: current?.status, issueNumber: current?.issueNumber };
    case 'open': {
      // Record first: if GitHub fails now, the next run sees an open incident without an issue and
      // finishes the job (the marker makes the create idempotent).
      await store.saveIncident(decision.incident);
      // A missed incident has no failed run behind it: an older failure must not be shown as its cause.
      const failure = decision.incident.kind === 'missed' ? undefined : latestFailure(history);
      // Stream ids carry Redis's own time, not the run's: read the (capped) stream and pick the run.
      const events = failure ? await store.readEvents(test.id) : [];
      const body = renderIncidentBody({
        test,
        incident: decision.incident,
        failure: failure ?? {
          reason: decision.incident.lastReason,
          startedAt: decision.incident.lastFailureAt,
          runId: '?',
        },
        events: events.filter((e) => !failure || e.runId === failure.runId),
        links: deps.links,
      });
      const issue = await tracker.ensureIncidentIssue(test.repo, test.id, {
        title: renderIncidentTitle(test),
        body,
      });
      const saved = { ...decision.incident, issueNumber: issue.number };
      await store.saveIncident(saved);
      deps.logger?.info(`incident opened for ${test.id}: issue #${issue.number} in ${test.repo}`);
      return { decision: 'open', status: 'open', issueNumber: issue.number };
    }
    case 'update':
    case 'reason-changed': {
      let incident = decision.incident;
      if (incident.status === 'open' && incident.issueNumber !== undefined) {
        // A person may have closed the issue while we missed the webhook: that is an acknowledgement.
        const issue = await tracker.getIssue(test.repo, incident.issueNumber);
        if (issue === null || issue.state === 'closed') incident = { ...incident, status: 'acknowledged' };
      }
      if (
        decision.kind === 'reason-changed' &&
        incident.status === 'open' &&
        incident.issueNumber !== undefined
      ) {
        const failure = latestFailure(history);
        if (failure) {
          // Posted before the save: if the save fails, the redelivery comes here again for the same
          // run, and the marker keeps it to one comment.
          await tracker.comment(
            test.repo,
            incident.issueNumber,
            renderReasonChangedComment({ previousReason: decision.previousReason, failure, incident }),
            reasonMarker(test.id, failure.runId),
          );
        }
      }
      await store.saveIncident(incident);
      return { decision: decision.kind, status: incident.status, issueNumber: incident.issueNumber };
    }
    case 'resolve': {
      const { incident, recoveredAt } = decision;
      if (incident.issueNumber !== undefined) {
        const now = clock.now();
        const [results, timings] = await Promise.all([
          store.getResults(test.id, { from: now - 30 * DAY, to: now, limit: 100_000 }),
          store.getTimings(test.id, { from: incident.since - DAY, to: now, limit: 100_000 }),
        ]);
        const summary = computeRecoverySummary({ incident, recoveredAt, now, results, timings });
        await tracker.comment(
          test.repo,
          incident.issueNumber,
          renderRecoveryComment(summary),
          summaryMarker(test.id, incident.since),
        );
        if (incident.status === 'open') await tracker.close(test.repo, incident.issueNumber);
      }
      await store.closeIncident(test.id, recoveredAt);
      deps.logger?.info(
        `incident resolved for ${test.id}${incident.issueNumber ? `: issue #${incident.issueNumber}` : ''}`,
      );
      return { decision: 'resolve', status: 'resolved', issueNumber: incident.issueNumber };
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
