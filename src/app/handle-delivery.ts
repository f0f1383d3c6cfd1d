/**
 * A scheduled run, delivered by QStash to `POST /api/callback/{testId}` (the HTTP side, with the
 * signature check, is src/bot/callback-route.ts): claim the delivery, run, record, incident.
 *
 * A token's `jti` is claimed once (replays refused). A message (`Upstash-Message-Id`) goes through
 * states in `claim:qstash:msg:{id}`: absent → `running` (the delivery's owner token, a lease renewed
 * while the run lasts) → `done` (written with the result, kept MESSAGE_TTL_MS). A copy that finds it
 * `done` is a duplicate; one that finds it `running` is busy, and once the owner is gone (crash,
 * Redis outage) the lease lapses and the retry runs it. GitHub being slow or down does not fail a
 * delivery: the incident's GitHub work is saved with the decision (the outbox) and reported as
 * `incident: "pending"` until it is done.
 *
 * This returns what happened ({@link DeliveryOutcome}); the web layer (src/web/delivery-answer.ts)
 * turns it into QStash's answer (status codes, `Retry-After`, `Upstash-NonRetryable-Error`).
 */
import { randomUUID } from 'node:crypto';
import { isTestId } from '../core/ids.js';
import type { Logger, Store } from '../core/ports.js';
import { dueOffsetMs } from '../core/scheduling/cron-ticks.js';
import { deliveryTiming } from '../core/scheduling/lateness.js';
import type { TestDefinition } from '../core/types.js';
import { MAX_LEASE_MS, MIN_LEASE_MS } from './lease.js';
import { HISTORY_WINDOW, runClaimedDelivery } from './run-delivery.js';
import { type RunNowDeps, runDeadlineMs, updateIncident } from './run-now.js';

/**
 * How long a message id is remembered: longer than QStash keeps retrying one message. Keys cost
 * memory (100 tests every minute: ~144,000 a day), so not longer.
 */
export const MESSAGE_TTL_MS = 86_400_000;
/** The value of a message's claim once its result is recorded. */
export const DELIVERY_DONE = 'done';
/** A token is valid 5 minutes (plus tolerance): after that the signature check refuses it anyway. */
export const TOKEN_TTL_MS = 10 * 60_000;

export interface DeliveryDeps extends RunNowDeps {
  store: Store;
  logger: Logger;
  /** How long the answer to QStash waits for the GitHub update (it goes on afterwards). */
  incidentWaitMs: number;
}

/** One verified delivery. */
export interface Delivery {
  /** The path segment after the callback prefix (not yet known to be a test id). */
  rawId: string;
  /** The signed token's `jti`. */
  jti: string;
  /** `Upstash-Message-Id`, when sent. */
  messageId?: string;
  /** `Upstash-Retried` > 0. */
  retried: boolean;
  /** Epoch ms this attempt arrived (the app's clock). Unset: now. */
  arrivedAt?: number;
  /** Epoch ms the message's first attempt arrived (delivery-arrival.ts). Unset: `arrivedAt`. */
  firstArrivedAt?: number;
}

/** What became of one delivery; the web layer answers QStash from it. */
export type DeliveryOutcome =
  /** The test ran and its result was recorded. */
  | { kind: 'ran'; testId: string; runId: string; status: string; incident: string | undefined }
  /** Nothing to run: the token or message was handled before (`incident` when this copy finished it). */
  | { kind: 'duplicate'; reason: string; incident?: string | undefined }
  /** Another run of the test or another copy of the message is under way: deliver again later. */
  | { kind: 'busy'; reason: string; retryAfterMs: number }
  /** Never runnable (not a test id, or a test that no longer exists): retrying cannot help. */
  | { kind: 'refused'; reason: string }
  /** The run was recorded (or had been), but saving its incident decision failed: retry to finish it. */
  | { kind: 'incident-unsaved'; reason: string; runId?: string }
  /** The store failed before anything was recorded: retry. */
  | { kind: 'unavailable'; reason: string };

/** Handles a delivery whose signature was verified. Never throws. */
export async function handleDelivery(deps: DeliveryDeps, delivery: Delivery): Promise<DeliveryOutcome> {
  const { rawId, retried } = delivery;
  if (!isTestId(rawId)) return { kind: 'refused', reason: `"${rawId.slice(0, 120)}" is not a test id` };
  const testId = rawId;
  // Each request claims with its own owner token: an identical copy must be refused, never count as ours.
  const owner = randomUUID();
  const arrivedAt = delivery.arrivedAt ?? deps.clock.now();
  const ids = { testId, jti: delivery.jti, ...(delivery.messageId ? { messageId: delivery.messageId } : {}) };

  try {
    // One round trip: the token once, the first arrival, the test, the message's lease and the
    // test's run lock, and what the run needs afterwards (delivery-store.ts in core/scheduling).
    const claim = await deps.store.delivery.claimDelivery({
      ...ids,
      owner,
      arrivedAt,
      tokenTtlMs: TOKEN_TTL_MS,
      messageTtlMs: MESSAGE_TTL_MS,
      minLeaseMs: MIN_LEASE_MS,
      maxLeaseMs: MAX_LEASE_MS,
      historyLimit: HISTORY_WINDOW,
    });
    if (claim.kind === 'token-used') return { kind: 'duplicate', reason: 'token already used' };
    if (claim.kind === 'missing') return refusedMissing(testId);
    const test = claim.test.definition;
    if (claim.kind === 'done' || claim.kind === 'running') {
      return await alreadyDelivered(deps, testId, claim.kind, retried, claim.leaseMs);
    }
    if (claim.kind === 'busy') {
      deps.metrics?.busy('test-running');
      return {
        kind: 'busy',
        retryAfterMs: runDeadlineMs(test, deps.maxRunMs),
        reason: `a run of ${testId} is already in progress`,
      };
    }
    // The run carries its tick: a retry keeps the tick of the message's first arrival.
    const firstArrivedAt = Math.min(claim.firstArrivedAt, delivery.firstArrivedAt ?? arrivedAt);
    const timing = scheduledTiming(test, firstArrivedAt, arrivedAt);
    const outcome = await runClaimedDelivery(deps, {
      claim,
      owner,
      ...ids,
      settle: { value: DELIVERY_DONE, ttlMs: MESSAGE_TTL_MS },
      incidentWaitMs: deps.incidentWaitMs,
      ...(timing ? { timing } : {}),
    });
    if (outcome.kind === 'busy') {
      return {
        kind: 'busy',
        retryAfterMs: outcome.retryAfterMs,
        reason: `a run of ${testId} is already in progress`,
      };
    }
    const { result, incident, incidentError, incidentPending } = outcome;
    if (incidentError !== undefined) {
      // The store failed while deciding: the decision and its GitHub work were not saved, so
      // QStash's retry must evaluate again (a GitHub failure never lands here: the outbox has it).
      return {
        kind: 'incident-unsaved',
        reason: `run recorded (${result.status}), but saving the incident failed: ${(incidentError as Error).message}; QStash's retry will finish it`,
        runId: result.runId,
      };
    }
    return {
      kind: 'ran',
      testId,
      runId: result.runId,
      status: result.status,
      incident: incidentPending ? 'pending' : incident?.decision,
    };
  } catch (error) {
    deps.logger.error(`callback for ${testId} failed: ${(error as Error).message}`);
    return {
      kind: 'unavailable',
      reason: `temporary failure, QStash will retry: ${(error as Error).message}`,
    };
  }
}

/**
 * The message is `done` (a duplicate: nothing to run) or `running` under another delivery's live
 * lease. A running one may still fail, so this copy is never acknowledged with a 200: QStash retries
 * it, and by then the message is done, or its owner died and the lease expired, and it runs.
 */
async function alreadyDelivered(
  deps: DeliveryDeps,
  testId: string,
  state: 'done' | 'running',
  retried: boolean,
  leaseMs: number,
): Promise<DeliveryOutcome> {
  if (state === 'done') {
    // A retry of a message whose run was recorded but whose incident update failed: finish that.
    if (retried) return await finishIncident(deps, testId);
    return { kind: 'duplicate', reason: 'message already delivered' };
  }
  return {
    kind: 'busy',
    retryAfterMs: leaseMs,
    reason: 'this message is being run by another delivery of it',
  };
}

function refusedMissing(testId: string): DeliveryOutcome {
  return { kind: 'refused', reason: `test ${testId} does not exist (removed from housecat.yml?)` };
}

/** Re-evaluates the incident (idempotent) without running the test again. */
async function finishIncident(deps: DeliveryDeps, testId: string): Promise<DeliveryOutcome> {
  const stored = await deps.store.getTest(testId);
  if (!stored) return refusedMissing(testId);
  const outcome = await updateIncident(deps, stored.definition);
  if (outcome.incidentError !== undefined) {
    return {
      kind: 'incident-unsaved',
      reason: `updating the GitHub issue failed again: ${(outcome.incidentError as Error).message}`,
    };
  }
  return {
    kind: 'duplicate',
    reason: 'message already ran',
    incident: outcome.incidentPending ? 'pending' : outcome.incident?.decision,
  };
}

/** The due time and lateness of a scheduled test's delivery (its cron tick plus its second). */
function scheduledTiming(test: TestDefinition, firstArrivedAt: number, arrivedAt: number) {
  return test.schedule ? deliveryTiming(test.schedule, firstArrivedAt, arrivedAt, dueOffsetMs(test)) : null;
}
