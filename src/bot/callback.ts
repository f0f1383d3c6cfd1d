/**
 * `POST /api/callback/{testId}`: a scheduled run, delivered by QStash.
 *
 * Order matters: nothing is read from Redis or run before the signature checks out (401), each
 * delivery runs once (its `Upstash-Message-Id` and its token's `jti` are claimed with SET NX + TTL),
 * an unknown test answers 489 with `Upstash-NonRetryable-Error: true` so QStash stops retrying,
 * and a store failure answers 503 so it retries.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTestId } from '../core/ids.js';
import type { Logger, Store } from '../core/ports.js';
import { readBody, sendJson } from './http.js';
import { type RunNowDeps, runTestNow, updateIncident } from './run-now.js';
import type { SignatureVerifier } from './signature.js';

export const CALLBACK_PREFIX = '/api/callback/';
/**
 * How long a message id is remembered: longer than QStash keeps retrying one message. Keys cost
 * memory (100 tests every minute: ~144,000 a day), so not longer.
 */
export const MESSAGE_TTL_MS = 86_400_000;
/** A token is valid 5 minutes (plus tolerance): after that the signature check refuses it anyway. */
export const TOKEN_TTL_MS = 10 * 60_000;
const MAX_BODY = 64 * 1024;

export interface CallbackDeps extends RunNowDeps {
  store: Store;
  logger: Logger;
  verifier: SignatureVerifier;
  publicUrl: string;
  /** How long the answer to QStash waits for the GitHub update (it goes on afterwards). */
  incidentWaitMs: number;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Handles the request when it is for the callback route; returns false otherwise. */
export async function handleCallback(
  deps: CallbackDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(CALLBACK_PREFIX)) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    return true;
  }
  const rawId = path.slice(CALLBACK_PREFIX.length);
  const body = await readBody(req, MAX_BODY);
  if (body === null) {
    sendJson(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
    return true;
  }

  // 1. Signature: for exactly this URL and body. Nothing else happens before it passes.
  const url = `${deps.publicUrl}${CALLBACK_PREFIX}${rawId}`;
  const verdict = await deps.verifier.verify({ signature: header(req, 'upstash-signature'), body, url });
  if (!verdict.ok) {
    deps.logger.warn(`rejected callback for ${JSON.stringify(rawId.slice(0, 120))}: ${verdict.reason}`);
    sendJson(res, 401, { error: 'invalid QStash signature' });
    return true;
  }
  if (!isTestId(rawId)) return nonRetryable(res, `"${rawId.slice(0, 120)}" is not a test id`);
  const testId = rawId;
  const messageId = header(req, 'upstash-message-id') ?? `jti:${verdict.jti}`;
  const retried = Number(header(req, 'upstash-retried') ?? '0') > 0;
  // Each request claims with its own owner token: an identical copy must be refused, never count as ours.
  const owner = randomUUID();

  try {
    // 2. Once per token and once per message. A replayed token is refused outright; a second copy of a
    //    message (QStash's at-least-once delivery) runs nothing.
    if (!(await deps.store.claim(`qstash:jti:${verdict.jti}`, owner, TOKEN_TTL_MS))) {
      sendJson(res, 200, { ok: true, duplicate: 'token already used' });
      return true;
    }
    const messageClaim = await deps.store.claim(`qstash:msg:${messageId}`, owner, MESSAGE_TTL_MS);
    if (!messageClaim) {
      // A retry of a message whose run was recorded but whose incident update failed: finish that.
      if (retried) return await finishIncident(deps, testId, res);
      sendJson(res, 200, { ok: true, duplicate: 'message already delivered' });
      return true;
    }

    // 3. The test.
    const stored = await deps.store.getTest(testId).catch(async (error: unknown) => {
      await deps.store.release(`qstash:msg:${messageId}`, owner).catch(() => undefined);
      throw error;
    });
    if (!stored) return nonRetryable(res, `test ${testId} does not exist (removed from housecat.yml?)`);

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
      sendJson(res, 200, { ok: true, skipped: `a run of ${testId} is already in progress` });
      return true;
    }
    const { result, incident, incidentError, incidentPending } = outcome;
    if (incidentError !== undefined) {
      sendJson(res, 502, {
        error: `run recorded (${result.status}), but updating the GitHub issue failed: ${(incidentError as Error).message}; QStash's retry will finish it`,
        runId: result.runId,
      });
      return true;
    }
    sendJson(res, 200, {
      ok: true,
      testId,
      runId: result.runId,
      status: result.status,
      incident: incidentPending ? 'pending' : incident?.decision,
    });
    return true;
  } catch (error) {
    deps.logger.error(`callback for ${testId} failed: ${(error as Error).message}`);
    sendJson(res, 503, { error: `temporary failure, QStash will retry: ${(error as Error).message}` });
    return true;
  }
}

function nonRetryable(res: ServerResponse, message: string): true {
  sendJson(res, 489, { error: message }, { 'Upstash-NonRetryable-Error': 'true' });
  return true;
}

/** Re-evaluates the incident (idempotent) without running the test again. */
async function finishIncident(deps: CallbackDeps, testId: string, res: ServerResponse): Promise<true> {
  const stored = await deps.store.getTest(testId);
  if (!stored) return nonRetryable(res, `test ${testId} does not exist`);
  const outcome = await updateIncident(deps, stored.definition);
  if (outcome.incidentError !== undefined) {
    sendJson(res, 502, {
      error: `updating the GitHub issue failed again: ${(outcome.incidentError as Error).message}`,
    });
  } else {
    sendJson(res, 200, {
      ok: true,
      duplicate: 'message already ran',
      incident: outcome.incidentPending ? 'pending' : outcome.incident?.decision,
    });
  }
  return true;
}
