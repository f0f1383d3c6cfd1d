/**
 * One POST to a chat or webhook platform, and what its answer means for the outbox: 2xx sent; 429
 * a pause the platform asked for (`Retry-After` in seconds, or Discord's `retry_after` in the JSON
 * body); 5xx, 408 and no answer in time worth retrying; any other 4xx a refusal retrying cannot
 * change (a deleted webhook, a payload refused). Errors name the platform and the status, never the
 * URL: a webhook URL is its own credential.
 */
import { ServiceError } from '../../core/errors.js';
import type { SendAnswer } from '../../core/notify/ports.js';

/** How long one send may take before it counts as a timeout (and is retried). */
export const SEND_TIMEOUT_MS = 10_000;

/** Milliseconds asked for by a `Retry-After` header (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The ServiceError for a non-2xx answer. `body` is the platform's answer (clipped into the message). */
export function httpRefusal(
  service: string,
  operation: string,
  status: number,
  body: string,
  askedMs: number | undefined,
): ServiceError {
  const retryable = status === 429 || status === 408 || status >= 500;
  const said = body.trim() ? `: ${body.trim().slice(0, 200)}` : '';
  const hint =
    status === 404 || status === 410 || status === 401 || status === 403
      ? 'the webhook was deleted or revoked: make a new one and update the channel’s variable'
      : status === 400
        ? 'the platform refused the message; please report it with this answer'
        : undefined;
  return new ServiceError(service, operation, `HTTP ${status}${said}`, {
    status,
    retryable,
    ...(askedMs !== undefined ? { retryAfterMs: askedMs } : {}),
    ...(hint ? { hint } : {}),
  });
}

/** The ServiceError for no answer at all (refused connection, DNS, timeout): retried. */
export function noAnswer(service: string, operation: string, error: unknown): ServiceError {
  const e = error as { name?: string; cause?: { code?: string }; code?: string; message?: string };
  const why =
    e?.name === 'TimeoutError' || e?.name === 'AbortError'
      ? `no answer within ${SEND_TIMEOUT_MS / 1000} s`
      : (e?.cause?.code ?? e?.code ?? 'the connection failed');
  return new ServiceError(service, operation, why, { retryable: true });
}

/** POSTs `body` as JSON; resolves with the answer on 2xx, throws a ServiceError otherwise. */
export async function postJson(
  service: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  parseRetry?: (status: number, text: string, headers: Headers) => number | undefined,
): Promise<SendAnswer> {
  const operation = 'send an alert';
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'HouseCat', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (error) {
    throw noAnswer(service, operation, error);
  }
  if (res.ok) return { status: res.status, body: text.slice(0, 500) };
  const asked = parseRetry?.(res.status, text, res.headers) ?? retryAfterMs(res.headers.get('retry-after'));
  throw httpRefusal(service, operation, res.status, text, asked);
}
