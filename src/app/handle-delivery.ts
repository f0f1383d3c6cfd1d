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
import { deliveryTiming } from '../core/scheduling/lateness.js';
import { acquireLease, leaseMsFor } from './lease.js';
import { type RunNowDeps, runTestNow, updateIncident } from './run-now.js';

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
  const messageKey = `qstash:msg:${delivery.messageId ?? `jti:${delivery.jti}`}`;
  // Each request claims with its own owner token: an identical copy must be refused, never count as ours.
  const owner = randomUUID();

  try {
    // 2. Once per token: a replayed token is refused outright.
    if (!(await deps.store.claim(`qstash:jti:${delivery.jti}`, owner, TOKEN_TTL_MS))) {
      return { kind: 'duplicate', reason: 'token already used' };
    }
    // 3. The test (its timeout sets the lease of the delivery).
    const stored = await deps.store.getTest(testId);
    if (!stored) return refusedMissing(testId);
    const test = stored.definition;

    // 4. Once per message: `running` (a lease) until the result is recorded, then `done`.
    const lease = await acquireLease(deps, messageKey, owner, leaseMsFor(test));
    if (!lease) return await alreadyDelivered(deps, testId, messageKey, retried, leaseMsFor(test));

    // 5. Run, record (and mark the message done in the same transaction), incident. The run carries
    // its tick: a retry keeps the tick of the message's first arrival.
    const arrivedAt = delivery.arrivedAt ?? deps.clock.now();
    const timing = test.schedule
      ? deliveryTiming(test.schedule, delivery.firstArrivedAt ?? arrivedAt, arrivedAt)
      : null;
    let outcome: Awaited<ReturnType<typeof runTestNow>>;
    try {
      outcome = await runTestNow(
        deps,
        test,
        { kind: 'schedule' },
        {
          incidentWaitMs: deps.incidentWaitMs,
          settle: { key: messageKey, value: DELIVERY_DONE, ttlMs: MESSAGE_TTL_MS },
          ...(timing ? { timing } : {}),
        },
      );
    } catch (error) {
      // Nothing was recorded: free the message so QStash's retry runs it (if Redis is down, the
      // lease expires by itself within one lease).
      await lease.release();
      throw error;
    }
    if (outcome.kind === 'busy') {
      await lease.release();
      return {
        kind: 'busy',
        retryAfterMs: outcome.retryAfterMs,
        reason: `a run of ${testId} is already in progress`,
      };
    }
    lease.stop();
    // GitHub work other deliveries left behind (GitHub was down, a process died) is finished by this
    // one too, in the background.
    deps.outbox?.kick();
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
  messageKey: string,
  retried: boolean,
  leaseMs: number,
): Promise<DeliveryOutcome> {
  const state = await deps.store.readClaim(messageKey);
  if (state === DELIVERY_DONE) {
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
