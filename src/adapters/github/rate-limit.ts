/**
 * GitHub's rate limits as its REST docs state them ("Rate limits for the REST API", "Exceeding the
 * rate limit"): a primary or a secondary limit is answered with **403 or 429**. Then:
 * 1. with `retry-after`, wait that many seconds;
 * 2. else, with `x-ratelimit-remaining: 0`, wait until `x-ratelimit-reset` (UTC epoch seconds);
 * 3. else wait at least a minute.
 * Requests sent while limited count against the integration and "may result in [its] banning", so
 * nothing here retries: the caller stops every GitHub request until the wait is over.
 */

/** The wait when GitHub gives neither `retry-after` nor a reset time. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

type Headers = Record<string, string | number | undefined>;

interface Answer {
  status?: number;
  message?: string;
  headers?: Headers;
}

const header = (headers: Headers | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
};

/** How long to wait after an answer that said "rate limited", following the three rules above. */
export function waitFromHeaders(headers: Headers | undefined, now: number): number {
  const retryAfter = Number(header(headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (header(headers, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
    // One second past the reset, as Octokit does: the limit is lifted after that second, not in it.
    return Math.max(0, reset * 1000 - now) + 1000;
  }
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

/**
 * The pause a GitHub answer calls for, in ms, or null when it is not a rate limit. A 429 always is;
 * a 403 is when it says so (`x-ratelimit-remaining: 0`, `retry-after`, or "rate limit" in the
 * message), otherwise it is a permission refusal. A success with `x-ratelimit-remaining: 0` also
 * pauses until the reset: the next request would be refused.
 */
export function rateLimitWaitMs(answer: Answer, now: number): number | null {
  const { status, headers } = answer;
  const exhausted = header(headers, 'x-ratelimit-remaining') === '0';
  if (status === 429) return waitFromHeaders(headers, now);
  if (status === 403) {
    const says = /rate limit/i.test(answer.message ?? '') || header(headers, 'retry-after') !== undefined;
    return exhausted || says ? waitFromHeaders(headers, now) : null;
  }
  if (status !== undefined && status < 400 && exhausted) return waitFromHeaders(headers, now);
  return null;
}

/** The answer of an Octokit RequestError (status, message, response headers). */
export function answerOf(error: unknown): Answer {
  const e = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Headers; data?: unknown };
  };
  const data = e?.response?.data as { message?: unknown } | undefined;
  return {
    status: typeof e?.status === 'number' ? e.status : undefined,
    message: `${typeof e?.message === 'string' ? e.message : ''} ${typeof data?.message === 'string' ? data.message : ''}`,
    headers: e?.response?.headers,
  };
}
