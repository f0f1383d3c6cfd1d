/**
 * A scheduled run, delivered by QStash to `POST /api/callback/{testId}` (the HTTP side, with the
 * signature check, is src/bot/callback-route.ts): claim the delivery, run, record, incident.
 *
 * Each delivery runs once (its `Upstash-Message-Id` and its token's `jti` are claimed with SET NX +
 * TTL), an unknown test answers 489 with `Upstash-NonRetryable-Error: true` so QStash stops
 * retrying, and a store failure answers 503 so it retries.
 */
import { randomUUID } from 'node:crypto';
import { isTestId } from '../core/ids.js';
import type { Logger, Store } from '../core/ports.js';
import { type RunNowDeps, runTestNow, updateIncident } from './run-now.js';

/**
 * How long a message id is remembered: longer than QStash keeps retrying one message. Keys cost
 * memory (100 tests every minute: ~144,000 a day), so not longer.
 */
export const MESSAGE_TTL_MS = 86_400_000;
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
}

/** The answer to QStash: status, JSON body, extra headers. */
export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

function answer(status: number, body: Record<string, unknown>): DeliveryAnswer {
  return { status, body };
}

/** Handles a delivery whose signature was verified. Never throws. */
export async function handleDelivery(deps: DeliveryDeps, delivery: Delivery): Promise<DeliveryAnswer> {
  const { rawId, retried } = delivery;
  if (!isTestId(rawId)) return nonRetryable(`"${rawId.slice(0, 120)}" is not a test id`);
  const testId = rawId;
  const messageId = delivery.messageId ?? `jti:${delivery.jti}`;
  const verdict = { jti: delivery.jti };
  // Each request claims with its own owner token: an identical copy must be refused, never count as ours.
  const owner = randomUUID();

  try {
    // 2. Once per token and once per message. A replayed token is refused outright; a second copy of a
    //    message (QStash's at-least-once delivery) runs nothing.
    if (!(await deps.store.claim(`qstash:jti:${verdict.jti}`, owner, TOKEN_TTL_MS))) {
      return answer(200, { ok: true, duplicate: 'token already used' });
    }
    const messageClaim = await deps.store.claim(`qstash:msg:${messageId}`, owner, MESSAGE_TTL_MS);
    if (!messageClaim) {
      // A retry of a message whose run was recorded but whose incident update failed: finish that.
      if (retried) return await finishIncident(deps, testId);
      return answer(200, { ok: true, duplicate: 'message already delivered' });
    }

    // 3. The test.
    const stored = await deps.store.getTest(testId).catch(async (error: unknown) => {
      await deps.store.release(`qstash:msg:${messageId}`, owner).catch(() => undefined);
      throw error;
    });
    if (!stored) return nonRetryable(`test ${testId} does not exist (removed from housecat.yml?)`);

    // 4. Run, record, incident.
    let outcome: Awaited<ReturnType<typeof runTestNow>>;
    try {
      outcome = await runTestNow(
        deps,
        stored.definition,
        { kind: 'schedule' },
        { incidentWaitMs: deps.incidentWaitMs },
      );
    } catch (error) {
      // Nothing was recorded: let QStash's retry run it.
      await deps.store.release(`qstash:msg:${messageId}`, owner).catch(() => undefined);
      throw error;
    }
    if (outcome.kind === 'busy') {
      return answer(200, { ok: true, skipped: `a run of ${testId} is already in progress` });
    }
    const { result, incident, incidentError, incidentPending } = outcome;
    if (incidentError !== undefined) {
      return answer(502, {
        error: `run recorded (${result.status}), but updating the GitHub issue failed: ${(incidentError as Error).message}; QStash's retry will finish it`,
        runId: result.runId,
      });
    }
    return answer(200, {
      ok: true,
      testId,
      runId: result.runId,
      status: result.status,
      incident: incidentPending ? 'pending' : incident?.decision,
    });
  } catch (error) {
    deps.logger.error(`callback for ${testId} failed: ${(error as Error).message}`);
    return answer(503, { error: `temporary failure, QStash will retry: ${(error as Error).message}` });
  }
}

function nonRetryable(message: string): DeliveryAnswer {
  return { status: 489, body: { error: message }, headers: { 'Upstash-NonRetryable-Error': 'true' } };
}

/** Re-evaluates the incident (idempotent) without running the test again. */
async function finishIncident(deps: DeliveryDeps, testId: string): Promise<DeliveryAnswer> {
  const stored = await deps.store.getTest(testId);
  if (!stored) return nonRetryable(`test ${testId} does not exist`);
  const outcome = await updateIncident(deps, stored.definition);
  if (outcome.incidentError !== undefined) {
    return answer(502, {
      error: `updating the GitHub issue failed again: ${(outcome.incidentError as Error).message}`,
    });
  }
  return answer(200, {
    ok: true,
    duplicate: 'message already ran',
    incident: outcome.incidentPending ? 'pending' : outcome.incident?.decision,
  });
}
