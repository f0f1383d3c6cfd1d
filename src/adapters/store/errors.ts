/**
 * Turns whatever a Redis client throws into one ServiceError that names the service, the operation
 * and the variable to check. Client messages are never passed through as they are: UpstashError
 * quotes the whole command with its arguments, and Redis error replies may quote stored values.
 */
import { ServiceError } from '../../core/errors.js';

export interface ErrorContext {
  service: 'Upstash Redis' | 'Redis';
  operation: string;
  /** Where the address comes from, e.g. `UPSTASH_REDIS_REST_URL`. */
  urlVar: string;
  /** Where the credential comes from, e.g. `UPSTASH_REDIS_REST_TOKEN` or `the password in REDIS_URL`. */
  authVar: string;
  /** host:port shown to the reader (never credentials). */
  target: string;
  timeoutMs: number;
  /** Strings that must never appear in a message (the token, the password). */
  secrets: string[];
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function chain(error: unknown): { name: string; code: string; message: string }[] {
  const out: { name: string; code: string; message: string }[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (typeof current !== 'object') {
      out.push({ name: '', code: '', message: String(current) });
      break;
    }
    const e = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    out.push({
      name: typeof e.name === 'string' ? e.name : '',
      code: typeof e.code === 'string' ? e.code : '',
      message: typeof e.message === 'string' ? e.message : '',
    });
    // AggregateError (happy-eyeballs connects) keeps the real reasons in `errors`.
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return out;
}

/** The server's own words, without quoted arguments or the command echo. */
function serverWords(message: string, secrets: string[]): string {
  let text = message.split(', command was:')[0] ?? '';
  text = text.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"');
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** Maps a client error to a ServiceError. Already-mapped errors pass through. */
export function toServiceError(error: unknown, ctx: ErrorContext): ServiceError {
  if (error instanceof ServiceError) return error;
  const links = chain(error);
  const all = links.map((l) => `${l.name} ${l.code} ${l.message}`).join(' | ');
  const { service, operation } = ctx;

  if (/WRONGPASS|NOAUTH|Unauthorized|invalid password|invalid username-password/i.test(all)) {
    return new ServiceError(service, operation, `${ctx.target} refused the credentials`, {
      status: 401,
      retryable: false,
      hint: `check ${ctx.authVar}`,
    });
  }
  if (links.some((l) => /TimeoutError|AbortError/.test(l.name) || /timed? ?out/i.test(l.message))) {
    return new ServiceError(service, operation, `${ctx.target} did not answer within ${ctx.timeoutMs} ms`, {
      retryable: true,
      hint: `check ${ctx.urlVar} and that the server is up and reachable from here`,
    });
  }
  const code =
    links.find((l) => UNREACHABLE.has(l.code))?.code ??
    [...UNREACHABLE].find((c) => links.some((l) => l.message.includes(c)));
  if (
    code ||
    links.some((l) =>
      /fetch failed|Socket closed|ClientClosedError|ClientOfflineError|client is offline|client is closed|connection closed|other side closed/i.test(
        `${l.name} ${l.message}`,
      ),
    )
  ) {
    return new ServiceError(service, operation, `could not reach ${ctx.target}${code ? ` (${code})` : ''}`, {
      retryable: true,
      hint: `check ${ctx.urlVar} and that the server is running`,
    });
  }
  if (links.some((l) => l.name === 'UpstashJSONParseError')) {
    return new ServiceError(
      service,
      operation,
      `${ctx.target} answered with something that is not Upstash's JSON`,
      {
        retryable: true,
        hint: `check that ${ctx.urlVar} is the database's REST URL (https://…upstash.io), not a web page or proxy`,
      },
    );
  }
  const words = serverWords(links[0]?.message ?? String(error), ctx.secrets);
  // Redis answers these while it restarts, fails over or runs a slow script: the same command
  // succeeds a moment later, so the caller should retry (a 503 to QStash), not give up.
  const busy = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN)\b/.exec(words);
  if (busy) {
    return new ServiceError(service, operation, `${ctx.target} is not ready yet (${words})`, {
      retryable: true,
      hint: 'this passes on its own once the server has loaded its data; it is retried',
    });
  }
  if (/^WRONGTYPE/.test(words)) {
    return new ServiceError(service, operation, `a key holds a value of another type (${words})`, {
      retryable: false,
      hint: 'another program uses the same key names: set HOUSECAT_REDIS_PREFIX to give HouseCat its own',
    });
  }
  return new ServiceError(service, operation, words || 'unexpected error', { retryable: false });
}
