/**
 * The work each incident decision implies, built before it is saved (evaluate-incident.ts): the
 * GitHub issue to create, the comments and the close, and the alerts. Each builder reads only what
 * its work needs (the failing run's events, the issue's state, the recovery summary's results).
 */
import { type AlertContext, alertWork } from '../core/incidents/alert-work.js';
import type { OutboxItem } from '../core/incidents/outbox.js';
import {
  type IncidentLinks,
  reasonMarker,
  renderIncidentBody,
  renderIncidentTitle,
  renderReasonChangedComment,
  renderRecoveryComment,
  summaryMarker,
} from '../core/incidents/render.js';
import type { IncidentDecision } from '../core/incidents/state.js';
import { computeRecoverySummary } from '../core/incidents/summary.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock, Logger, Store, StoredEvent, StoredResult } from '../core/ports.js';
import { DAY_MS as DAY } from '../core/time.js';
import type { Incident, TestDefinition } from '../core/types.js';

export interface IncidentDeps {
  store: Store;
  tracker: IssueTracker;
  clock: Clock;
  logger?: Logger;
  links?: IncidentLinks;
  /** This app's alert channels (core/notify): alerts are saved with the decision, as outbox items. */
  alerts?: AlertContext;
}

/** What a decision was made from, and what building its work may read. */
export interface DecisionContext {
  deps: IncidentDeps;
  test: TestDefinition;
  current: Incident | null;
  /** The runs that move incidents, newest first. */
  history: readonly StoredResult[];
  /** GitHub work of earlier decisions still waiting in the outbox. */
  pending: readonly OutboxItem[];
  now: number;
  /** The test's events, when the caller has them already. */
  events?: StoredEvent[];
}

type Decision<K extends IncidentDecision['kind']> = Extract<IncidentDecision, { kind: K }>;

/** A new outbox item of `kind` for the incident, not yet tried. */
function outboxItem<K extends OutboxItem['kind']>(ctx: DecisionContext, kind: K, incident: Incident) {
  return {
    id: globalThis.crypto.randomUUID(),
    kind,
    testId: ctx.test.id,
    repo: ctx.test.repo,
    since: incident.since,
    createdAt: ctx.now,
    attempts: 0,
  };
}

/** Opening: the issue to create (unless one is queued already) and, when it first opens, the alerts. */
export async function openWork(ctx: DecisionContext, incident: Incident): Promise<OutboxItem[]> {
  const { deps, test, current, history, pending, now } = ctx;
  // Every failing run while the issue is missing decides "open" again: one create in the queue
  // is enough (and the marker would make a second one adopt the first's issue anyway).
  const queued = pending.some((i) => i.kind === 'create' && i.since === incident.since);
  // A missed incident has no failed run behind it: an older failure must not be shown as its cause.
  const failure = incident.kind === 'missed' ? undefined : latestFailure(history);
  const work: OutboxItem[] = [];
  if (!queued) {
    // Stream ids carry Redis's own time, not the run's: read the (capped) stream and pick the run.
    const events = failure ? (ctx.events ?? (await deps.store.readEvents(test.id))) : [];
    const body = renderIncidentBody({
      test,
      incident,
      failure: failure ?? { reason: incident.lastReason, startedAt: incident.lastFailureAt, runId: '?' },
      events: events.filter((e) => !failure || e.runId === failure.runId),
      links: deps.links,
    });
    work.push({ ...outboxItem(ctx, 'create', incident), title: renderIncidentTitle(test), body });
  }
  // Alerts go out once per incident: when it opens, not when a later run finishes opening it.
  const opening = current === null || current.status === 'resolved';
  if (opening) {
    const event = incident.kind === 'missed' ? 'missed' : 'opened';
    work.push(
      ...(await alertWork(deps, test, { event, incident, ...(failure ? { run: failure } : {}) }, now)),
    );
  }
  return work;
}

/**
 * Still failing: the incident as it is now (acknowledged when its issue was found closed), with a
 * comment and alert when the reason changed and an alert when a person acknowledged it.
 */
export async function updateWork(
  ctx: DecisionContext,
  decision: Decision<'update' | 'reason-changed'>,
): Promise<{ incident: Incident; work: OutboxItem[] }> {
  const { deps, test, current, history, now } = ctx;
  const incident = await withIssueState(ctx, decision.incident);
  const work: OutboxItem[] = [];
  const failure = latestFailure(history);
  if (decision.kind === 'reason-changed' && incident.status === 'open' && failure) {
    const { previousReason } = decision;
    work.push({
      ...outboxItem(ctx, 'comment', incident),
      issueNumber: incident.issueNumber,
      body: renderReasonChangedComment({ previousReason, failure, incident, links: deps.links }),
      marker: reasonMarker(test.id, failure.runId),
    });
    work.push(
      ...(await alertWork(
        deps,
        test,
        { event: 'reason_changed', incident, run: failure, previousReason },
        now,
      )),
    );
  }
  // The issue was found closed: a person acknowledged the incident.
  if (current?.status === 'open' && incident.status === 'acknowledged') {
    work.push(...(await alertWork(deps, test, { event: 'acknowledged', incident }, now)));
  }
  return { incident, work };
}

/**
 * A person may have closed the issue while we missed the webhook: that is an acknowledgement.
 * Only a read: when GitHub does not answer, the webhook (or the next run) tells us instead.
 */
async function withIssueState(ctx: DecisionContext, incident: Incident): Promise<Incident> {
  if (incident.status !== 'open' || incident.issueNumber === undefined) return incident;
  try {
    const issue = await ctx.deps.tracker.getIssue(ctx.test.repo, incident.issueNumber);
    if (issue === null || issue.state === 'closed') return { ...incident, status: 'acknowledged' };
  } catch (error) {
    ctx.deps.logger?.warn(
      `could not check issue #${incident.issueNumber} of ${ctx.test.id}: ${String(error)}`,
    );
  }
  return incident;
}

/** Recovered: the summary comment and the close on the issue (if any), and the resolved alert. */
export async function resolveWork(
  ctx: DecisionContext,
  decision: Decision<'resolve'>,
): Promise<OutboxItem[]> {
  const { deps, test, history, pending, now } = ctx;
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
      deps.store.getResults(test.id, { from: now - 30 * DAY, to: now, limit: 100_000 }),
      deps.store.getTimings(test.id, { from: incident.since - DAY, to: now, limit: 100_000 }),
    ]);
    const summary = computeRecoverySummary({ incident, recoveredAt, now, results, timings });
    const runs = results.filter(
      (r) => r.startedAt >= incident.since && r.status !== 'error' && r.status !== 'skipped',
    ).length;
    // The resolved alert carries the summary the issue gets.
    const input = {
      event: 'resolved' as const,
      incident,
      summary,
      runs,
      ...(history[0] ? { run: history[0] } : {}),
    };
    alerts = await alertWork(deps, test, input, now);
    if (hasIssue) {
      work.push({
        ...outboxItem(ctx, 'comment', incident),
        issueNumber: incident.issueNumber,
        body: renderRecoveryComment(summary),
        marker: summaryMarker(test.id, incident.since),
      });
    }
  }
  // An acknowledged incident's issue was closed by a person: it stays as they left it.
  if (hasIssue && incident.status === 'open') {
    work.push({ ...outboxItem(ctx, 'close', incident), issueNumber: incident.issueNumber });
  }
  work.push(...alerts);
  return work;
}

function latestFailure(history: readonly StoredResult[]): StoredResult | undefined {
  return history.find((r) => r.status === 'failed');
}
