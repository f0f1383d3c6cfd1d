/**
 * `POST /api/watchdog`: the `housecat-watchdog` QStash schedule's call. Signed like a callback
 * (401 otherwise, before anything is read); a token is used once; the use case is
 * src/app/watchdog.ts. Answers 200 with the report, 503 when the store fails (QStash retries).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOKEN_TTL_MS } from '../app/handle-delivery.js';
import { runWatchdog, type WatchdogDeps } from '../app/watchdog.js';
import { WATCHDOG_PATH } from '../core/scheduling/watchdog.js';
import { readBody, sendJson } from './http.js';
import type { SignatureVerifier } from './signature.js';

export interface WatchdogRouteDeps extends WatchdogDeps {
  verifier: SignatureVerifier;
  publicUrl: string;
}

/** Handles the request when it is for the watchdog route; returns false otherwise. */
export async function handleWatchdog(
  deps: WatchdogRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const target = req.url ?? '/';
  if (target.split('?')[0] !== WATCHDOG_PATH) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
    return true;
  }
  const body = await readBody(req, 64 * 1024);
  const signature = req.headers['upstash-signature'];
  const verdict = await deps.verifier.verify({
    signature: Array.isArray(signature) ? signature[0] : signature,
    body: body ?? '',
    url: `${deps.publicUrl}${target}`,
  });
  if (body === null || !verdict.ok) {
    deps.logger.warn(`rejected watchdog call: ${verdict.ok ? 'body too large' : verdict.reason}`);
    sendJson(res, 401, { error: 'invalid QStash signature' });
    return true;
  }
  try {
    if (!(await deps.store.claim(deps.store.claimNames.token(verdict.jti), randomUUID(), TOKEN_TTL_MS))) {
      sendJson(res, 200, { ok: true, duplicate: 'token already used' });
      return true;
    }
    const report = await runWatchdog(deps);
    sendJson(res, 200, { ok: true, ...report });
  } catch (error) {
    deps.logger.error(`watchdog failed: ${(error as Error).message}`);
    sendJson(res, 503, { error: `temporary failure, QStash will retry: ${(error as Error).message}` });
  }
  return true;
}
