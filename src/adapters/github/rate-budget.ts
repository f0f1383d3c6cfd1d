/**
 * The app's GitHub rate budget as GitHub last stated it: every answer carries `x-ratelimit-limit`
 * and `x-ratelimit-remaining` for its `x-ratelimit-resource` (core, search, graphql, …), per the
 * REST docs ("Checking the status of your rate limit"). Recorded by rate-limit-pause.ts from every
 * answer of the app's Octokit, read by /metrics. Installation tokens each have their own budget:
 * this keeps the last answer's, which is the one the next request most likely spends.
 */

export interface RateBudget {
  limit: number;
  remaining: number;
}

export interface RateBudgetRecorder {
  /** Records the budget an answer's headers state (answers without them are ignored). */
  observe(headers: Record<string, string | number | undefined> | undefined): void;
  /** The last budget seen, by resource. */
  read(): Map<string, RateBudget>;
}

/** A recorder of the last budget seen per resource. */
export function createRateBudgetRecorder(): RateBudgetRecorder {
  const last = new Map<string, RateBudget>();
  return {
    observe(headers) {
      const limit = Number(headers?.['x-ratelimit-limit']);
      const remaining = Number(headers?.['x-ratelimit-remaining']);
      if (headers?.['x-ratelimit-limit'] === undefined || !Number.isFinite(limit)) return;
      if (headers['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining)) return;
      last.set(String(headers['x-ratelimit-resource'] ?? 'core'), { limit, remaining });
    },
    read: () => last,
  };
}
