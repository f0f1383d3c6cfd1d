/**
 * Events on an incident issue: what people ask for there (the Probot side is
 * src/bot/webhook-routes.ts):
 * - `/housecat run` by someone with write access: re-run the test now and reply with the result;
 * - a person closes the issue: acknowledge the incident (no reopening, no new issue until the test
 *   has recovered and failed again).
 *
 * GitHub never redelivers a failed webhook by itself (only a person pressing "Redeliver" does), and
 * it gives up on an answer after 10 s. So a webhook only saves the request in the test's outbox
 * queue (accept-request.ts) and answers at once; the outbox
 * drainer carries it out (`carryOutRequest`) and retries it over GitHub 5xx, Redis blips and
 * restarts (the start-up sweep and the watchdog drain it too). A delivery (`X-GitHub-Delivery`) is
 * saved once, even when it is sent again; its reply is made once (a marker names the delivery).
 */
import { randomUUID } from 'node:crypto';
import { canRunTests } from '../core/dashboard/access.js';
import { ServiceError } from '../core/errors.js';
import type { OutboxItem, RequestItem } from '../core/incidents/outbox.js';
import { markerTestId, renderRunReply } from '../core/incidents/render.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Logger, Store, StoredResult, StoredTest } from '../core/ports.js';
import { DAY_MS } from '../core/time.js';
import { acknowledgeIncident } from './evaluate-incident.js';
import { type RunNowDeps, runTestNow } from './run-now.js';

export interface RequestDeps extends RunNowDeps {
  store: Store;
  logger: Logger;
  tracker: IssueTracker;
  /** The sender's permission on the repository (admin, maintain, write, triage, read, none). */
  permissionOf(repo: string, login: string): Promise<string>;
  /** The process's bound on concurrent runs (shared with scheduled deliveries); unset: no bound. */
  slots?: { tryAcquire(): (() => void) | null; readonly limit: number };
}

/** A manual redelivery (GitHub's "Redeliver" button) can come days later. */
export const DELIVERY_TTL_MS = 3 * DAY_MS;
/** The claim of a webhook delivery: its accept's owner token, then `ran` once its run is recorded. */
export const deliveryKey = (delivery: string) => `github:delivery:${delivery}`;
const RAN = 'ran';

/** The comment that asks for a run. */
export const RUN_COMMAND = /^\/housecat\s+run\s*$/im;

export interface IssueLike {
  number: number;
  body?: string | null;
  pull_request?: unknown;
}

/**
 * Carries out a saved request (the outbox drainer calls this). A `run` returns its reply as the
 * item that follows it; an `acknowledge` returns null. Throws on a failure worth retrying.
 */
export async function carryOutRequest(deps: RequestDeps, item: RequestItem): Promise<OutboxItem | null> {
  const issue = { number: item.issueNumber, body: null };
  const stored = await testOfIssue(deps, item.repo, issue, item.testId);
  if (!stored) return null;
  if (item.kind === 'acknowledge') {
    await acknowledgeOnClose(deps, stored, item);
    return null;
  }
  const reply = await rerunOnRequest(deps, stored, item);
  return {
    id: randomUUID(),
    kind: 'comment',
    testId: item.testId,
    repo: item.repo,
    since: 0,
    createdAt: deps.clock.now(),
    attempts: 0,
    issueNumber: item.issueNumber,
    body: reply,
    marker: `<!-- housecat:reply:${item.delivery} -->`,
  };
}

/** The stored test of an incident issue in `repo`, or null (not ours, or a test of another repository). */
export async function testOfIssue(
  deps: Pick<RequestDeps, 'store'>,
  repo: string,
  issue: IssueLike,
  knownTestId?: string,
): Promise<StoredTest | null> {
  if (issue.pull_request) return null;
  const testId = knownTestId ?? markerTestId(issue.body);
  if (!testId) return null;
  const stored = await deps.store.getTest(testId);
  // The marker is plain text anyone with write access can paste: only a test of this very repository counts.
  if (!stored || stored.definition.repo.toLowerCase() !== repo.toLowerCase()) return null;
  return stored;
}

/**
 * `/housecat run` on an incident issue: runs the test now (a `manual` run, which moves the incident)
 * and returns the reply to post. Past the process's run bound it throws a retryable error: the
 * outbox runs it a little later instead of refusing it.
 */
async function rerunOnRequest(deps: RequestDeps, stored: StoredTest, item: RequestItem): Promise<string> {
  const { repo, sender } = item;
  if (!canRunTests(await deps.permissionOf(repo, sender))) {
    return `@${sender} only people with write access to ${repo} can run HouseCat tests.`;
  }
  // A manual run takes a run slot like a scheduled one: past the bound it waits, not runs on top.
  const release = deps.slots ? deps.slots.tryAcquire() : () => undefined;
  if (!release) {
    throw new ServiceError(
      'HouseCat',
      `/housecat run of ${stored.definition.id}`,
      `all ${deps.slots?.limit} run slots are busy; it runs when one is free`,
    );
  }
  try {
    // The delivery becomes `ran` in the transaction that records the result: a second copy of the
    // item (a save re-sent after a lost answer) or a crash before the reply never runs it again.
    const earlier = await earlierRun(deps, item);
    if (earlier) return renderRunReply(earlier, sender);
    const settle = { key: deliveryKey(item.delivery), value: RAN, ttlMs: DELIVERY_TTL_MS };
    const outcome = await runTestNow(deps, stored.definition, { kind: 'manual' }, { settle });
    // Another run holds the test's lock (or a dead process did: the lock is a lease that lapses
    // within the test's timeout). The request is not answered "busy": it runs after that one.
    if (outcome.kind === 'busy') {
      throw new ServiceError(
        'HouseCat',
        `/housecat run of ${stored.definition.id}`,
        'another run of this test is in progress; it runs after that one',
      );
    }
    return renderRunReply(outcome.result, sender);
  } finally {
    release();
  }
}

/** The recorded run of this request, when it already ran; null when it has not. */
async function earlierRun(deps: RequestDeps, item: RequestItem): Promise<StoredResult | null> {
  if ((await deps.store.readClaim(deliveryKey(item.delivery))) !== RAN) return null;
  const recent = await deps.store.getResults(item.testId, { limit: 50 });
  const mine = recent.find((r) => r.source?.kind === 'manual' && r.startedAt >= item.createdAt);
  // Trimmed away already (unlikely): the reply names no result rather than running it again.
  return (
    mine ?? {
      runId: 'earlier',
      status: 'error',
      reason: 'this request already ran; its result is in the history',
      startedAt: 0,
      durationMs: 0,
    }
  );
}

/** A person closed an incident issue: acknowledges the incident. True when it applied. */
async function acknowledgeOnClose(
  deps: Pick<RequestDeps, 'store' | 'logger' | 'incident' | 'clock'>,
  stored: StoredTest,
  item: RequestItem,
): Promise<boolean> {
  const applied = await acknowledgeIncident(
    { ...deps.incident, logger: deps.logger, clock: deps.clock },
    stored.definition.id,
    item.issueNumber,
    { test: stored.definition, by: item.sender },
  );
  if (applied) {
    deps.logger.info(
      `incident of ${stored.definition.id} acknowledged by ${item.sender} (issue #${item.issueNumber} closed)`,
    );
  }
  return applied;
}
