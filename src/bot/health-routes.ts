/**
 * Liveness and readiness, kept apart on purpose:
 * - `/healthz` (liveness) answers 200 while the process answers HTTP. A supervisor restarts the
 *   process only when this fails; a Redis outage is not cured by a restart, so it does not fail it.
 * - `/readyz` (readiness) answers 200 only when Redis answers a PING within 1 s, else 503 with the
 *   reason. A load balancer takes a not-ready instance out of rotation until Redis is back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/** How long Redis may take to answer the readiness PING. */
export const READY_TIMEOUT_MS = 1000;

/** Something that resolves when the state store answers (RedisStore.ping). */
export type Ping = () => Promise<void>;

/** `/healthz`: the process answers. */
export async function handleLiveness(_req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  sendJson(res, 200, { ok: true });
  return true;
}

/**
 * `/readyz`: 200 `{ok:true}` when `ping` resolves within `timeoutMs`, else 503 `{ok:false, reason}`.
 * A store that cannot be pinged (not Redis) is taken as ready: there is nothing remote to wait for.
 */
export function readinessHandler(ping: Ping | null, timeoutMs = READY_TIMEOUT_MS) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (!ping) {
      sendJson(res, 200, { ok: true, redis: 'not used' });
      return true;
    }
    const problem = await pingProblem(ping, timeoutMs);
    if (problem === null) sendJson(res, 200, { ok: true, redis: 'ok' });
    else sendJson(res, 503, { ok: false, reason: problem });
    return true;
  };
}

/** Null when Redis answered in time, else why not (the store's errors already name the fix). */
async function pingProblem(ping: Ping, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(`Redis did not answer PING within ${timeoutMs} ms: check that it is running and reachable.`),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      ping().then(
        () => null,
        (error: unknown) =>
          `Redis is not answering: ${error instanceof Error ? error.message : String(error)}`,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
