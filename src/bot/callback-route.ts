/**
 * `POST /api/callback/{testId}`: the HTTP side of a scheduled delivery. Nothing is read from Redis
 * or run before the signature checks out for exactly this URL and body (401); then a run slot is
 * taken (429 with a Retry-After from the queue when every one is busy, before anything is claimed,
 * so QStash retries the same message later); then the use case (src/app/handle-delivery.ts) claims, runs, records and
 * evaluates the incident.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { firstArrival } from '../app/delivery-arrival.js';
import { type DeliveryDeps, handleDelivery } from '../app/handle-delivery.js';
import { deliveryAnswer } from '../web/delivery-answer.js';
import { refuseLargeBody } from '../web/server-limits.js';
import { readBody, sendJson } from './http.js';
import type { RunSlots } from './run-slots.js';
import type { SignatureVerifier } from './signature.js';

export const CALLBACK_PREFIX = '/api/callback/';
const MAX_BODY = 64 * 1024;

export interface CallbackDeps extends DeliveryDeps {
  verifier: SignatureVerifier;
  publicUrl: string;
  /** The process's bound on concurrent runs. */
  slots: RunSlots;
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
  const target = req.url ?? '/';
  const path = target.split('?')[0] ?? '/';
  if (!path.startsWith(CALLBACK_PREFIX)) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    return true;
  }
  const rawId = path.slice(CALLBACK_PREFIX.length);
  if (refuseLargeBody(req, res, MAX_BODY)) return true;
  const body = await readBody(req, MAX_BODY);
  if (body === null) {
    sendJson(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
    return true;
  }
  // QStash signs the whole destination URL, query included: a signature for the URL without a query
  // must not also run it with one.
  const url = `${deps.publicUrl}${target}`;
  const verdict = await deps.verifier.verify({ signature: header(req, 'upstash-signature'), body, url });
  if (!verdict.ok) {
    deps.logger.warn(`rejected callback for ${JSON.stringify(rawId.slice(0, 120))}: ${verdict.reason}`);
    sendJson(res, 401, { error: 'invalid QStash signature' });
    return true;
  }
  // The first arrival is noted before anything can refuse the attempt (busy slots included), so
  // that a retry of this message keeps its original tick: here when the slots are full, otherwise
  // by the delivery's claim script, in the same round trip as the claim.
  const messageId = header(req, 'upstash-message-id');
  const arrivedAt = deps.clock.now();
  // Nothing is claimed yet: QStash's retry of this message runs as if it were the first delivery.
  const release = deps.slots.tryAcquire(messageId);
  if (!release) {
    await firstArrival(deps, messageId, arrivedAt);
    deps.metrics?.busy('slots-full');
    // Busy early, and for as long as the queue says: QStash (and its flow control) holds the backlog.
    const retryAfterMs = deps.slots.retryAfterMs(messageId);
    const answer = deliveryAnswer({
      kind: 'busy',
      reason: `busy: ${deps.slots.limit} runs in progress, ${deps.slots.queued} waiting`,
      retryAfterMs,
    });
    deps.logger.warn(
      `all ${deps.slots.limit} run slots busy: asked QStash to retry ${rawId.slice(0, 120)} in ${answer.headers?.['Retry-After']} s, ${deps.slots.queued} deliveries waiting (raise HOUSECAT_MAX_PARALLEL_RUNS if the machine has room)`,
    );
    sendJson(res, answer.status, answer.body, answer.headers);
    return true;
  }
  try {
    const outcome = await handleDelivery(deps, {
      rawId,
      jti: verdict.jti,
      ...(messageId ? { messageId } : {}),
      retried: Number(header(req, 'upstash-retried') ?? '0') > 0,
      arrivedAt,
    });
    const answer = deliveryAnswer(outcome);
    sendJson(res, answer.status, answer.body, answer.headers);
  } finally {
    release();
  }
  return true;
}
