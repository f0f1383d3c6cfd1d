/**
 * Creating content on GitHub (an issue, a comment) without ever creating it twice:
 *
 * - Creating is never retried blindly: Probot's retry plugin would re-send a POST that timed out
 *   after GitHub had already created the issue. Creates go out with `retries: 0` and a timeout;
 *   after any failure that might have reached GitHub the caller looks again ({@link reconcile}).
 * - That timeout starts when the request is really sent. A request can wait in Probot's request
 *   queue (the throttling plugin holds content creations seconds apart) and for an installation
 *   token first; a timer started before all that aborted creates that were still waiting (100
 *   failing tests gave 4 issues). So the timer lives in the `fetch` Octokit calls last.
 * - Every creation goes through the content throttle (≤ 80 a minute, shared by replicas). While
 *   GitHub has the app rate-limited (403 or 429, rate-limit.ts), nothing is sent: see rate-limit-pause.ts.
 */
import type { Logger } from '../../core/ports.js';
import { statusOf } from './errors.js';
import type { GitHubOctokit } from './octokit.js';
import { answerOf, rateLimitWaitMs } from './rate-limit.js';
import { GitHubRateLimitedError } from './rate-limit-pause.js';
import type { ContentThrottle } from './throttle.js';

/** How creations are sent and reconciled. */
export interface ContentCreation {
  throttle: ContentThrottle;
  /** How long one create may take before we stop waiting and reconcile. */
  createTimeoutMs: number;
  /** Pauses between reconciliation lookups after an uncertain create. */
  reconcileDelaysMs: number[];
  logger?: Logger | undefined;
  /** The app's clock: turns GitHub's `x-ratelimit-reset` into a wait. */
  now: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The `fetch` of one request, with a timeout that starts when Octokit calls it: after Probot's
 * queue and after authentication, when the request really leaves. A custom fetch configured on the
 * client (a proxy) is kept.
 */
function fetchWithin(octokit: GitHubOctokit, ms: number): typeof fetch {
  const base =
    (octokit.request.endpoint.DEFAULTS.request?.fetch as typeof fetch | undefined) ?? globalThis.fetch;
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

/** A definitive answer: GitHub refused the request, so it did not create anything. */
export function definitelyNotCreated(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408;
}

/** Sends one content-creating request: throttled, never retried, bounded in time once sent. */
export async function createOnce<T>(
  creation: ContentCreation,
  octokit: GitHubOctokit,
  send: (request: { retries: number; fetch: typeof fetch }) => Promise<T>,
): Promise<T> {
  const { throttle } = creation;
  // While GitHub has us paused, fail now (the outbox comes back when the pause ends) rather than
  // wait in the throttle's queue for up to an hour.
  const left = await throttle.pausedFor().catch(() => 0);
  if (left > 0) throw new GitHubRateLimitedError(left, 'create content');
  const done = await throttle.acquire();
  try {
    return await send({ retries: 0, fetch: fetchWithin(octokit, creation.createTimeoutMs) });
  } catch (error) {
    // The app's Octokit pauses too (rate-limit-pause.ts); this covers a client without that plugin.
    const wait = rateLimitWaitMs(answerOf(error), creation.now());
    if (wait !== null) throttle.pause(wait);
    throw error;
  } finally {
    done();
  }
}

/** After an uncertain create, looks for what it may have created. */
export async function reconcile<T>(
  creation: ContentCreation,
  find: () => Promise<T | null>,
): Promise<T | null> {
  for (const delay of creation.reconcileDelaysMs) {
    await sleep(delay);
    try {
      const found = await find();
      if (found) return found;
    } catch (error) {
      creation.logger?.warn(`reconcile lookup failed: ${String(error)}`);
    }
  }
  return null;
}
