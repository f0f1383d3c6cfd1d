/**
 * How an error appears in a log line. Expected conditions — a service that is down or refuses (Redis
 * unreachable, GitHub 4xx/5xx), a forged or stale signature, a setting that is wrong — are facts about
 * the world, and their line says what failed without a stack. Anything else is a bug in HouseCat or a
 * dependency, and keeps its stack, so it can be found and fixed.
 */
import { HouseCatError } from '../../core/errors.js';
import { scrubSecrets } from './scrub.js';

/** The fields a log line carries for an error: `stack` only when it is not an expected condition. */
export interface ErrorFields {
  type: string;
  message: string;
  code?: string;
  status?: number;
  /** The webhook delivery it happened in (Probot's errors carry the event; its payload is left out). */
  event?: { id?: string; name?: string };
  /** The errors inside an AggregateError (Probot's webhook errors wrap the handler's). */
  errors?: ErrorFields[];
  stack?: string;
}

/** Network failures Node and undici report with a code: the other side is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'ABORT_ERR',
]);

/**
 * True for a condition HouseCat expects and handles: its own errors (a setting, a service, the
 * agent), an HTTP answer from a service (Octokit's RequestError, @octokit/webhooks' signature check
 * answering 400), a network failure, a timeout or abort. An AggregateError is expected when all of
 * its errors are.
 */
export function isExpectedError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(isExpectedError);
  if (error instanceof HouseCatError) return true;
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 600) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  // fetch() wraps the network error as its cause: "fetch failed".
  return error.cause instanceof Error && isExpectedError(error.cause);
}

/** pino's `err` serializer: the error's facts, secrets scrubbed, a stack only for a bug. */
export function errorFields(error: unknown): ErrorFields {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubSecrets(String(error)) };
  const fields: ErrorFields = {
    type: error.name || error.constructor.name,
    message: scrubSecrets(error.message),
  };
  const { status, code, event } = error as { status?: unknown; code?: unknown; event?: unknown };
  if (typeof code === 'string') fields.code = code;
  if (typeof status === 'number') fields.status = status;
  // @octokit/webhooks sets `event` to the delivery (id, name, payload); an AggregateError's is an Error.
  if (event && typeof event === 'object' && !(event instanceof Error)) {
    const { id, name } = event as { id?: unknown; name?: unknown };
    fields.event = {
      ...(typeof id === 'string' ? { id } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    };
  }
  const wrapper = error instanceof AggregateError && error.errors.length > 0;
  // A wrapper's own stack is the webhook library's plumbing: the wrapped errors carry the useful ones.
  if (wrapper) fields.errors = error.errors.map(errorFields);
  else if (!isExpectedError(error) && error.stack) fields.stack = scrubSecrets(error.stack);
  return fields;
}
