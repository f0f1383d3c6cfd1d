/**
 * One pass over the outbox: carries out the GitHub work incident decisions left in it
 * (core/incidents/outbox.ts), for one test's queue or every due one. When passes run in a process
 * is the drainer's business (outbox-drainer.ts).
 * Whoever comes next drains it: the request that made the decision (for a bounded time), the next
 * delivery of any test, the start-up sweep of `housecat serve`, and the watchdog (`drainOutbox`).
 *
 * - Webhook work (`run`, `acknowledge`) waits in the same queue: GitHub never redelivers a failed
 *   webhook, so it is saved first and carried out here, retried like the rest.
 * - Alerts (`notify` items, send-alert.ts) wait in their channel's queue (`notify:{channel}`), so
 *   a chat platform that is down holds up neither the issue nor another channel; a platform's 429
 *   paces its queue by exactly the `Retry-After` it asked for.
 * - One drainer per test at a time: a lease `claim:outbox:{id}`, renewed while it works. A drainer
 *   that dies stops renewing, and the next one takes the queue over within one lease.
 * - Items are done in order (create, then comments, then close), each idempotent on GitHub, so an
 *   item sent but not confirmed before a crash is simply done again.
 * - A failure GitHub may get over (5xx, timeout, rate limit) is retried with a growing pause (after a
 *   rate limit, no sooner than GitHub asked); a
 *   refusal it will not get over (404 repository, 410 issues disabled, 403 permission, 422) drops
 *   the item with an error in the log and on the incident (`github_error`), as does a day of
 *   failures. Nothing is retried for ever.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../core/errors.js';
import {
  type NotifyItem,
  OUTBOX_GIVE_UP_MS,
  type OutboxItem,
  outboxBackoffMs,
  outboxQueueOf,
  type PendingItem,
  type RequestItem,
} from '../core/incidents/outbox.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock, Logger, Store } from '../core/ports.js';
import { acquireLease } from './lease.js';
import { type AlertDeps, recordAlertFailure, sendAlert } from './send-alert.js';

/** A drainer's lease on one test's queue: a crashed drainer's work is taken over within this. */
export const OUTBOX_LEASE_MS = 15_000;

/** The lease a drainer holds on a queue: `deps.leaseMs`, else OUTBOX_LEASE_MS. */
export const outboxLeaseMs = (deps: Pick<DrainDeps, 'leaseMs'>): number => deps.leaseMs ?? OUTBOX_LEASE_MS;

export interface DrainDeps {
  store: Store;
  tracker: IssueTracker;
  clock: Clock;
  logger: Logger;
  /** The lease on a queue (default OUTBOX_LEASE_MS); tests that kill a drainer shorten it. */
  leaseMs?: number;
  /** The first retry's pause, doubling after each failure (default 2 s; outboxBackoffMs). */
  firstRetryMs?: number;
  /**
   * Carries out webhook work (`run`, `acknowledge`: incident-issue-events.ts) and returns what follows it (the
   * reply to post), or null. A process without it leaves such items for one that has it.
   */
  requests?: { carryOut(item: RequestItem): Promise<OutboxItem | null> };
  /**
   * Sends alerts (`notify` items, in their channels' queues: send-alert.ts). A process without it
   * leaves them for one that has it.
   */
  notify?: Omit<AlertDeps, 'store' | 'logger'>;
}

/** What a drain did. */
export interface DrainReport {
  /** Items carried out. */
  done: number;
  /** Items that failed and wait for their next attempt. */
  retrying: number;
  /** Items given up (refused for good, or failing for a day). */
  dropped: number;
  /** Queues left alone because another drainer holds them. */
  busy: number;
  /** Queues still backing off from an earlier failure. */
  waiting: number;
}

const emptyReport = (): DrainReport => ({ done: 0, retrying: 0, dropped: 0, busy: 0, waiting: 0 });

function add(into: DrainReport, more: DrainReport): DrainReport {
  for (const key of Object.keys(into) as (keyof DrainReport)[]) into[key] += more[key];
  return into;
}

const DESCRIPTIONS: Record<OutboxItem['kind'], string> = {
  create: 'create the incident issue',
  comment: 'comment on the incident issue',
  close: 'close the incident issue',
  run: 'run the test asked for by /housecat run',
  acknowledge: 'acknowledge the incident (issue closed by a person)',
  notify: 'send an alert',
};
const describe = (item: OutboxItem) =>
  item.kind === 'notify'
    ? `send the "${item.event}" alert to channel ${item.channel}`
    : DESCRIPTIONS[item.kind];
const isRequest = (item: OutboxItem): item is RequestItem =>
  item.kind === 'run' || item.kind === 'acknowledge';

/** Works through the queue of one test, under its lease, until it is empty or must wait. */
export async function drainTestOutbox(deps: DrainDeps, testId: string): Promise<DrainReport> {
  const report = emptyReport();
  const lease = await acquireLease(
    deps,
    deps.store.claimNames.outbox(testId),
    randomUUID(),
    outboxLeaseMs(deps),
  );
  if (!lease) {
    report.busy++;
    return report;
  }
  try {
    for (;;) {
      const head = await deps.store.outbox.head(testId);
      if (!head) break;
      if (head.dueAt > deps.clock.now()) {
        report.waiting++;
        break;
      }
      if (!(await attempt(deps, head, report))) break;
    }
  } finally {
    await lease.release();
  }
  return report;
}

/** Carries out one item; false when the queue must wait (the item is to be retried later). */
async function attempt(deps: DrainDeps, head: PendingItem, report: DrainReport): Promise<boolean> {
  const { item, raw } = head;
  const outbox = deps.store.outbox;
  let issue: { since: number; number: number } | undefined;
  let next: OutboxItem | null = null;
  try {
    if (isRequest(item)) {
      if (!deps.requests) throw new ServiceError('HouseCat', describe(item), 'this drainer cannot run tests');
      next = await deps.requests.carryOut(item);
    } else if (item.kind === 'notify') {
      if (!deps.notify) throw new ServiceError('HouseCat', describe(item), 'this process sends no alerts');
      await sendAlert({ ...deps.notify, store: deps.store, logger: deps.logger }, item);
    } else {
      issue = await perform(deps, item);
    }
  } catch (error) {
    const status = error instanceof ServiceError ? error.status : undefined;
    const message = `${error instanceof Error ? error.message : String(error)}${status ? ` (HTTP ${status})` : ''}`;
    // A platform's refusal for good (a revoked Slack webhook, a payload refused) is as final as GitHub's.
    const permanent =
      error instanceof ServiceError &&
      (error.service === 'GitHub' || item.kind === 'notify') &&
      error.service !== 'HouseCat' &&
      !error.retryable;
    const now = deps.clock.now();
    const alert = item.kind === 'notify' ? item : null;
    if (permanent || now - item.createdAt > OUTBOX_GIVE_UP_MS) {
      deps.logger.error(
        `gave up: ${describe(item)} for ${item.testId} in ${item.repo} — ${message}. ` +
          (alert
            ? 'The channel shows as failing on the dashboard; other channels are not held up.'
            : 'The incident records it (github_error); the next failing run queues the issue again.'),
      );
      if (alert && deps.notify) await recordAlertFailure(deps.notify, alert, message, true);
      await outbox.drop(queueOf(head), raw, `${describe(item)}: ${message}`);
      report.dropped++;
      return true;
    }
    const attempts = item.attempts + 1;
    // A rate limit says when GitHub takes requests again: coming back sooner would only be refused
    // (and GitHub warns that requests while limited can get the integration banned).
    const askedMs = error instanceof ServiceError ? (error.retryAfterMs ?? 0) : 0;
    // A pause GitHub asked for on another request (in this replica or another) holds this one too:
    // the item comes back when it ends, and the log says that wait, not the back-off.
    const pausedMs = alert ? 0 : ((await deps.tracker.pausedFor?.().catch(() => 0)) ?? 0);
    // A chat platform's 429 is pacing, not failure (Slack takes one message a second): its alert
    // comes back exactly when asked, not after a back-off that grows through a storm.
    const pacedOnly = alert !== null && askedMs > 0 && error instanceof ServiceError && error.status === 429;
    const pauseMs = pacedOnly
      ? askedMs
      : Math.max(outboxBackoffMs(attempts, deps.firstRetryMs), askedMs, pausedMs);
    const why = pausedMs > askedMs && pauseMs === pausedMs ? " (GitHub's rate-limit pause is in force)" : '';
    await outbox.retryLater(
      queueOf(head),
      raw,
      { ...item, attempts, lastError: message.slice(0, 500) },
      now + pauseMs,
    );
    if (alert && deps.notify && !pacedOnly) await recordAlertFailure(deps.notify, alert, message, false);
    deps.logger.warn(
      `could not ${describe(item)} for ${item.testId} (attempt ${attempts}); retrying in ${Math.round(pauseMs / 1000)} s${why}: ${message}`,
    );
    report.retrying++;
    return false;
  }
  // What follows (the reply to a run) takes the item's place at the head, due now: a crash from
  // here on repeats the reply (made once, by its marker), never the run.
  if (next) await outbox.retryLater(item.testId, raw, next, deps.clock.now());
  else await outbox.done(queueOf(head), raw, issue);
  report.done++;
  return true;
}

/** The queue the item was read from (an alert's channel queue, or its test's). */
const queueOf = (head: PendingItem) => outboxQueueOf(head.item);

async function perform(
  deps: DrainDeps,
  item: Exclude<OutboxItem, RequestItem | NotifyItem>,
): Promise<{ since: number; number: number } | undefined> {
  if (item.kind === 'create') {
    const issue = await deps.tracker.ensureIncidentIssue(item.repo, item.testId, {
      title: item.title,
      body: item.body,
    });
    deps.logger.info(`incident issue of ${item.testId}: #${issue.number} in ${item.repo}`);
    return { since: item.since, number: issue.number };
  }
  const number = await issueNumberOf(deps, item);
  if (number === null) {
    deps.logger.warn(
      `${describe(item)} for ${item.testId}: the issue was never created or is no longer open; nothing to do`,
    );
    return undefined;
  }
  if (item.kind === 'comment') await deps.tracker.comment(item.repo, number, item.body, item.marker);
  else await deps.tracker.close(item.repo, number);
  return undefined;
}

/**
 * The issue an item is about. Items queued while the create was pending carry no number: the
 * create, done before them, recorded it on the incident; when that record has moved on to a newer
 * incident, the open issue carrying the test's marker is the one.
 */
async function issueNumberOf(
  deps: DrainDeps,
  item: Exclude<OutboxItem, RequestItem | NotifyItem>,
): Promise<number | null> {
  if (item.kind !== 'create' && item.issueNumber !== undefined) return item.issueNumber;
  const incident = await deps.store.getIncident(item.testId);
  if (incident?.since === item.since && incident.issueNumber !== undefined) return incident.issueNumber;
  return (await deps.tracker.findIncidentIssue(item.repo, item.testId))?.number ?? null;
}

/**
 * Drains every queue that is due, a few tests at a time. The watchdog and the start-up sweep call
 * this; a queue another drainer holds is skipped (it is being drained).
 */
export async function drainOutbox(
  deps: DrainDeps,
  options: { limit?: number; concurrency?: number } = {},
): Promise<DrainReport & { tests: number }> {
  const ids = await deps.store.outbox.due(deps.clock.now(), options.limit ?? 1000);
  const report = emptyReport();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      add(report, await drainTestOutbox(deps, id));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, ids.length) }, worker));
  return { ...report, tests: ids.length };
}
