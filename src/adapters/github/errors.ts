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

/** Wraps an Octokit error; 5xx, timeouts and rate limits are retryable, other 4xx are not. */
export function githubError(operation: string, repo: string, error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  // Set by rate-limit-pause.ts on a rate-limited answer: how long GitHub asked us to wait.
  const waitMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  const retryAfterMs = typeof waitMs === 'number' ? waitMs : undefined;
  const limited = retryAfterMs !== undefined || status === 429 || /rate limit/i.test(message);
  const retryable = status === undefined || status >= 500 || status === 408 || limited;
  return new ServiceError('GitHub', `${operation} (${repo})`, message, {
    status,
    hint: limited
      ? 'GitHub rate-limited the app: every GitHub request of every replica waits as GitHub asked (retry-after, else the x-ratelimit-reset time, else 60 s), then the work is retried'
      : status !== undefined
        ? HINTS[status]?.(repo)
        : undefined,
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
