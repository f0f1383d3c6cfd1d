/**
 * An Octokit plugin that stops every GitHub request of the app while GitHub says it is rate limited
 * (rate-limit.ts has the rules), on every replica: the pause lives in the content throttle, which
 * keeps it in Redis (`ratelimit:github-content:pause`, a key with a TTL) when the store is Redis.
 *
 * A request made during a pause is not sent: it fails at once with GitHubRateLimitedError (429,
 * carrying the time left), so a caller never sleeps for up to an hour inside a webhook or a lease.
 * The durable outbox puts its item back until then (outbox-pass.ts).
 */
import type { ProbotOctokit } from 'probot';
import type { RateBudgetRecorder } from './rate-budget.js';
import { answerOf, rateLimitWaitMs } from './rate-limit.js';

/** Where the pause is kept (ContentThrottle in throttle.ts and shared-throttle.ts). */
export interface PauseGate {
  /** Stops every request for `ms` (never shortens a longer pause). */
  pause(ms: number): void;
  /** Milliseconds the pause still lasts (0: none). */
  pausedFor(): Promise<number>;
}

/** A request not sent because GitHub asked HouseCat to wait. */
export class GitHubRateLimitedError extends Error {
  override name = 'GitHubRateLimitedError';
  /** Like GitHub's own refusal, so callers treat it as one (retryable, nothing was created). */
  readonly status = 429;
  readonly response: { status: number; headers: Record<string, string> };
  constructor(
    readonly retryAfterMs: number,
    route: string,
  ) {
    super(
      `not sent: GitHub rate-limited this app; every GitHub request waits ${Math.ceil(retryAfterMs / 1000)} s more (${route})`,
    );
    this.response = { status: 429, headers: { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } };
  }
}

interface HookedOctokit {
  hook: {
    wrap(
      name: 'request',
      wrapper: (
        request: (options: RequestOptions) => Promise<Answered>,
        options: RequestOptions,
      ) => Promise<Answered>,
    ): void;
  };
}
interface RequestOptions {
  method?: string;
  url?: string;
}
interface Answered {
  status: number;
  headers: Record<string, string | number | undefined>;
}

/**
 * The plugin (`Octokit.plugin(rateLimitPause(gate, now))`). `now` is the app's clock, used to turn
 * `x-ratelimit-reset` into a wait.
 */
export function rateLimitPause(gate: PauseGate, now: () => number, budget?: RateBudgetRecorder) {
  return (octokit: unknown): void => {
    (octokit as HookedOctokit).hook.wrap('request', async (request, options) => {
      const route = `${options.method ?? 'GET'} ${options.url ?? ''}`;
      // A store that cannot answer does not stop GitHub work: GitHub itself still refuses if limited.
      const left = await gate.pausedFor().catch(() => 0);
      if (left > 0) throw new GitHubRateLimitedError(left, route);
      let response: Answered;
      try {
        response = await request(options);
      } catch (error) {
        budget?.observe(answerOf(error).headers);
        const wait = rateLimitWaitMs(answerOf(error), now());
        if (wait !== null) {
          gate.pause(wait);
          if (error && typeof error === 'object') Object.assign(error, { retryAfterMs: wait });
        }
        throw error;
      }
      budget?.observe(response.headers);
      const wait = rateLimitWaitMs({ status: response.status, headers: response.headers }, now());
      if (wait !== null) gate.pause(wait);
      return response;
    });
  };
}

/** The statuses Octokit's retry plugin leaves alone by default (@octokit/plugin-retry 8). */
const RETRY_PLUGIN_DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];

/**
 * `Base` with the pause on every client made from it (installation, app, webhook context), and with
 * 429 among the statuses Octokit's retry plugin never retries: by default it re-sends a 429 after
 * 1, 4 and 9 s, into the limit (403 is excluded already). `budget` records the rate budget every
 * answer states (for /metrics).
 */
export function withRateLimitPause(
  Base: typeof ProbotOctokit,
  gate: PauseGate,
  now: () => number,
  budget?: RateBudgetRecorder,
): typeof ProbotOctokit {
  const NoRetryInto = Base.defaults((options: Record<string, unknown>) => {
    const retry = (options.retry ?? {}) as { doNotRetry?: number[] };
    const doNotRetry = retry.doNotRetry ?? RETRY_PLUGIN_DO_NOT_RETRY;
    return { ...options, retry: { ...retry, doNotRetry: [...new Set([...doNotRetry, 403, 429])] } };
  });
  return NoRetryInto.plugin(rateLimitPause(gate, now, budget)) as typeof ProbotOctokit;
}
