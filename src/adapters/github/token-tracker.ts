/**
 * The app's GitHub IssueTracker (issue-tracker.ts) authenticated with a plain token instead of an
 * installation: `housecat up` with GITHUB_TOKEN (or `gh auth token`) files incidents exactly as the
 * app does — the same marker, labels, reconciliation after an uncertain create, content throttle and
 * rate-limit pause — only the credential differs.
 */
import { ProbotOctokit } from 'probot';
import type { IssueTracker } from '../../core/incidents/tracker.js';
import type { SharedRateLimit } from '../../core/limits/ports.js';
import type { Logger } from '../../core/ports.js';
import { createGitHubIssueTracker, type GitHubOctokit } from './issue-tracker.js';
import { createRateBudgetRecorder } from './rate-budget.js';
import { withRateLimitPause } from './rate-limit-pause.js';
import { createSharedContentThrottle } from './shared-throttle.js';

export interface TokenTrackerOptions {
  token: string;
  /** GitHub's REST API (GITHUB_API_URL); default https://api.github.com. */
  apiUrl?: string;
  /** Where the content throttle keeps its slots (the store's Redis), shared with any app replica. */
  limits: SharedRateLimit;
  now: () => number;
  logger?: Logger;
}

/** Builds the tracker; no request is made until the first incident. */
export function createTokenIssueTracker(options: TokenTrackerOptions): IssueTracker {
  const throttle = createSharedContentThrottle(options.limits);
  // As the app's client: Probot's request queue off (our throttle paces creations instead).
  const Unqueued = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o.throttle as object), enabled: false },
  })) as typeof ProbotOctokit;
  const Octokit = withRateLimitPause(Unqueued, throttle, options.now, createRateBudgetRecorder());
  const octokit = new Octokit({
    auth: { token: options.token },
    ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, '') } : {}),
  }) as GitHubOctokit;
  return createGitHubIssueTracker({
    octokitFor: async () => octokit,
    throttle,
    now: options.now,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/**
 * A person's permission on a repository, asked with the token (`GET /repos/{owner}/{repo}/
 * collaborators/{username}/permission`, as the app asks with its installation): Run now on `up`'s
 * dashboard behind GitHub sign-in. An unknown person is `none`.
 */
export function createTokenPermission(options: { token: string; apiUrl?: string }) {
  const octokit = new ProbotOctokit({
    auth: { token: options.token },
    ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, '') } : {}),
  });
  return async (repo: string, login: string): Promise<string> => {
    const [owner, name] = repo.split('/') as [string, string];
    try {
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
        {
          owner,
          repo: name,
          username: login,
        },
      );
      return (data as { permission: string }).permission;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return 'none';
      throw error;
    }
  };
}
