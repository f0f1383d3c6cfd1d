/**
 * GitHub failures as ServiceErrors that say what to check.
 */
import { ServiceError } from '../../core/errors.js';

/** HTTP status of an Octokit RequestError, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

const HINTS: Record<number, (repo: string) => string> = {
  401: () => 'GitHub refused the app credentials: check APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)',
  403: (repo) =>
    `the app lacks a permission on ${repo} or hit a rate limit: check the app's permissions (issues: write) and that the installation accepted them`,
  404: (repo) =>
    `${repo} was not found: install the HouseCat app on it (or check the repo name in housecat.yml)`,
};

/**
 * The network code (ENOTFOUND, ECONNREFUSED, …) when GitHub was never reached. Octokit reports a
 * failed fetch as a RequestError with status 500 and no response (@octokit/request 10), which
 * read as "HTTP 500" blames GitHub for what is a DNS or network failure here.
 */
export function unreachableCode(error: unknown): string | null {
  const e = error as { status?: unknown; response?: unknown; cause?: unknown } | null;
  if (e?.status !== 500 || e.response !== undefined || e.cause === undefined) return null;
  for (let cause: unknown = e.cause, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return 'network error';
}

/** Wraps an Octokit error; 5xx, timeouts and rate limits are retryable, other 4xx are not. */
export function githubError(operation: string, repo: string, error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const unreachable = unreachableCode(error);
  const status = unreachable ? undefined : statusOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = unreachable ? `GitHub is unreachable (${unreachable}): ${raw}` : raw;
  // Set by rate-limit-pause.ts on a rate-limited answer: how long GitHub asked us to wait.
  const waitMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  const retryAfterMs = typeof waitMs === 'number' ? waitMs : undefined;
  const limited = retryAfterMs !== undefined || status === 429 || /rate limit/i.test(message);
  const retryable = status === undefined || status >= 500 || status === 408 || limited;
  return new ServiceError('GitHub', `${operation} (${repo})`, message, {
    status,
    hint: unreachable
      ? 'check DNS and outbound network access to api.github.com (or GHE_HOST) from this host'
      : limited
        ? 'GitHub rate-limited the app: every GitHub request of every replica waits as GitHub asked (retry-after, else the x-ratelimit-reset time, else 60 s), then the work is retried'
        : status !== undefined
          ? HINTS[status]?.(repo)
          : undefined,
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
