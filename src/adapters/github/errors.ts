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
  const retryable =
    status === undefined || status >= 500 || status === 429 || status === 408 || /rate limit/i.test(message);
  return new ServiceError('GitHub', `${operation} (${repo})`, message, {
    status,
    hint: status !== undefined ? HINTS[status]?.(repo) : undefined,
    retryable,
  });
}
