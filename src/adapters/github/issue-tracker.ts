/**
 * IssueTracker over Octokit (a Probot installation client). The rules that keep "one incident, one
 * issue" true against a real, flaky GitHub:
 *
 * - The incident issue is found by its hidden marker among open issues labelled `housecat`, listed
 *   through the issues API (consistent right after a write) — never by title, never through the
 *   search API (its index lags by minutes).
 * - Creating is never retried blindly: Probot's retry plugin would re-send a POST that timed out
 *   after GitHub had already created the issue. Creates go out with `retries: 0` and a timeout;
 *   after any failure that might have reached GitHub we list again and adopt the issue if it exists.
 * - That timeout starts when the request is really sent. A request can wait in Probot's request
 *   queue (the throttling plugin holds content creations seconds apart) and for an installation
 *   token first; a timer started before all that aborted creates that were still waiting (100
 *   failing tests gave 4 issues). So the timer lives in the `fetch` Octokit calls last.
 * - Every creation goes through the content throttle (≤ 80 a minute, shared by replicas). While
 *   GitHub has the app rate-limited (403 or 429, rate-limit.ts), nothing is sent: see rate-limit-pause.ts.
 * - Labels are created once per repository per process: concurrent first updates share one attempt.
 */
import type { ProbotOctokit } from 'probot';
import { hasIncidentMarker } from '../../core/incidents/render.js';
import type { IssueTracker, TrackedIssue } from '../../core/incidents/tracker.js';
import type { Logger } from '../../core/ports.js';
import { githubError, statusOf } from './errors.js';
import { answerOf, rateLimitWaitMs } from './rate-limit.js';
import { GitHubRateLimitedError } from './rate-limit-pause.js';
import type { ContentThrottle } from './throttle.js';

export type GitHubOctokit = InstanceType<typeof ProbotOctokit>;

export const LABELS = [
  { name: 'housecat', color: '5319e7', description: 'Managed by HouseCat' },
  { name: 'incident', color: 'b60205', description: 'A HouseCat test is failing' },
] as const;

export interface GitHubIssueTrackerOptions {
  /** An authenticated client for the repository (`owner/name`), e.g. the app's installation client. */
  octokitFor(repo: string): Promise<GitHubOctokit>;
  throttle: ContentThrottle;
  /** How long one create may take before we stop waiting and reconcile (default 10 s). */
  createTimeoutMs?: number;
  /** Pauses between reconciliation lists after an uncertain create (default 250, 1000, 3000 ms). */
  reconcileDelaysMs?: number[];
  logger?: Logger;
  /** The app's clock: turns GitHub's `x-ratelimit-reset` into a wait (default Date.now). */
  now?: () => number;
}

interface IssueJson {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  pull_request?: unknown;
}

const split = (repo: string) => {
  const [owner, name] = repo.split('/') as [string, string];
  return { owner, repo: name };
};
const tracked = (i: IssueJson): TrackedIssue => ({
  number: i.number,
  url: i.html_url,
  state: i.state === 'closed' ? 'closed' : 'open',
});
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
function definitelyNotCreated(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408;
}

export function createGitHubIssueTracker(options: GitHubIssueTrackerOptions): IssueTracker {
  const { octokitFor, throttle, logger } = options;
  const now = options.now ?? Date.now;
  const createTimeoutMs = options.createTimeoutMs ?? 10_000;
  const reconcileDelays = options.reconcileDelaysMs ?? [250, 1000, 3000];
  // One promise per repository, stored before its first await: 100 concurrent first updates of a
  // repository send the label requests once, not 100 times.
  const labelled = new Map<string, Promise<void>>();

  function ensureLabels(octokit: GitHubOctokit, repo: string): Promise<void> {
    const key = repo.toLowerCase();
    let done = labelled.get(key);
    if (!done) {
      done = createLabels(octokit, repo);
      labelled.set(key, done);
    }
    return done;
  }

  async function createLabels(octokit: GitHubOctokit, repo: string): Promise<void> {
    for (const label of LABELS) {
      try {
        await octokit.request('POST /repos/{owner}/{repo}/labels', { ...split(repo), ...label });
      } catch (error) {
        // 422 already_exists is the normal case; anything else: GitHub creates missing labels with
        // the issue anyway, only without our colour.
        if (statusOf(error) !== 422)
          logger?.warn(`could not create label ${label.name} in ${repo}: ${String(error)}`);
      }
    }
  }

  async function findOpen(
    octokit: GitHubOctokit,
    repo: string,
    testId: string,
  ): Promise<TrackedIssue | null> {
    const issues = (await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
      ...split(repo),
      state: 'open',
      labels: 'housecat',
      per_page: 100,
    })) as IssueJson[];
    const mine = issues
      .filter((i) => !i.pull_request && hasIncidentMarker(i.body, testId))
      .sort((a, b) => a.number - b.number);
    if (mine.length > 1) {
      logger?.warn(`${mine.length} open incident issues for ${testId} in ${repo}; using #${mine[0]!.number}`);
    }
    return mine[0] ? tracked(mine[0]) : null;
  }

  async function hasMarkedComment(octokit: GitHubOctokit, repo: string, issueNumber: number, marker: string) {
    const comments = (await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...split(repo),
      issue_number: issueNumber,
      per_page: 100,
    })) as { body?: string | null }[];
    return comments.some((c) => (c.body ?? '').split('\n', 1)[0]!.trim() === marker);
  }

  /** Sends one content-creating request: throttled, never retried, bounded in time once sent. */
  async function createOnce<T>(
    octokit: GitHubOctokit,
    send: (request: { retries: number; fetch: typeof fetch }) => Promise<T>,
  ): Promise<T> {
    // While GitHub has us paused, fail now (the outbox comes back when the pause ends) rather than
    // wait in the throttle's queue for up to an hour.
    const left = await throttle.pausedFor().catch(() => 0);
    if (left > 0) throw new GitHubRateLimitedError(left, 'create content');
    const done = await throttle.acquire();
    try {
      return await send({ retries: 0, fetch: fetchWithin(octokit, createTimeoutMs) });
    } catch (error) {
      // The app's Octokit pauses too (rate-limit-pause.ts); this covers a client without that plugin.
      const wait = rateLimitWaitMs(answerOf(error), now());
      if (wait !== null) throttle.pause(wait);
      throw error;
    } finally {
      done();
    }
  }

  /** After an uncertain create, looks for what it may have created. */
  async function reconcile<T>(find: () => Promise<T | null>): Promise<T | null> {
    for (const delay of reconcileDelays) {
      await sleep(delay);
      try {
        const found = await find();
        if (found) return found;
      } catch (error) {
        logger?.warn(`reconcile lookup failed: ${String(error)}`);
      }
    }
    return null;
  }

  return {
    pausedFor: () => throttle.pausedFor(),
    async ensureIncidentIssue(repo, testId, issue) {
      const octokit = await octokitFor(repo);
      try {
        const existing = await findOpen(octokit, repo, testId);
        if (existing) return existing;
        await ensureLabels(octokit, repo);
      } catch (error) {
        throw githubError('find the incident issue', repo, error);
      }
      try {
        const { data } = await createOnce(octokit, (request) =>
          octokit.request('POST /repos/{owner}/{repo}/issues', {
            ...split(repo),
            title: issue.title,
            body: issue.body,
            labels: LABELS.map((l) => l.name),
            request,
          }),
        );
        return tracked(data as IssueJson);
      } catch (error) {
        if (definitelyNotCreated(error)) throw githubError('create the incident issue', repo, error);
        logger?.warn(
          `creating the incident issue for ${testId} in ${repo} may have failed (${String(error)}); looking for it`,
        );
        const found = await reconcile(() => findOpen(octokit, repo, testId));
        if (found) return found;
        // Not visible yet: do not create again now. The incident stays recorded without an issue, and
        // the next run looks for the marker again before creating.
        throw githubError('create the incident issue', repo, error);
      }
    },

    async comment(repo, issueNumber, body, marker) {
      const octokit = await octokitFor(repo);
      try {
        if (marker && (await hasMarkedComment(octokit, repo, issueNumber, marker))) return;
      } catch (error) {
        throw githubError('read comments', repo, error);
      }
      const text = marker && !body.startsWith(marker) ? `${marker}\n${body}` : body;
      try {
        await createOnce(octokit, (request) =>
          octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...split(repo),
            issue_number: issueNumber,
            body: text,
            request,
          }),
        );
      } catch (error) {
        if (!marker || definitelyNotCreated(error)) throw githubError('comment on the issue', repo, error);
        const found = await reconcile(async () =>
          (await hasMarkedComment(octokit, repo, issueNumber, marker)) ? true : null,
        );
        if (!found) throw githubError('comment on the issue', repo, error);
      }
    },

    async close(repo, issueNumber) {
      const octokit = await octokitFor(repo);
      try {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          ...split(repo),
          issue_number: issueNumber,
          state: 'closed',
          state_reason: 'completed',
        });
      } catch (error) {
        throw githubError('close the issue', repo, error);
      }
    },

    async findIncidentIssue(repo, testId) {
      const octokit = await octokitFor(repo);
      try {
        return await findOpen(octokit, repo, testId);
      } catch (error) {
        throw githubError('find the incident issue', repo, error);
      }
    },

    async getIssue(repo, issueNumber) {
      const octokit = await octokitFor(repo);
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
          ...split(repo),
          issue_number: issueNumber,
        });
        return tracked(data as IssueJson);
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 410) return null;
        throw githubError('read the issue', repo, error);
      }
    },
  };
}
