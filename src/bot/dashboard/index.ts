/**
 * Builds the dashboard's request handler from the app's parts, or nothing when Sign in with GitHub
 * is not configured (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET): the app then serves webhooks and
 * callbacks only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstallationClients } from '../../adapters/github/installations.js';
import { createGitHubUserApi } from '../../adapters/github/user-api.js';
import type { RedisDashboardStore } from '../../adapters/store/dashboard-store.js';
import { createEventFeed, type EventFeedOptions } from '../../adapters/store/event-follower.js';
import type { RedisStore } from '../../adapters/store/redis-store.js';
import { createRunStore } from '../../adapters/store/run-store.js';
import { statusStoreOf } from '../../adapters/store/status-store.js';
import { fanOutFeed } from '../../app/live-fanout.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { GitHubUserApi } from '../../core/dashboard/ports.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import type { RateWindow } from '../../core/limits/ports.js';
import type { BotConfig } from '../config.js';
import type { RunSlots } from '../run-slots.js';
import { createDashboard } from './routes.js';

/** GitHub's user tokens for Apps expire after 8 hours: a session does not outlive its token. */
export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

export interface DashboardOptions {
  sessionTtlMs?: number;
  /** Longest life of one live-view connection (the browser reconnects). */
  liveMaxMs?: number;
  feed?: EventFeedOptions;
  /** Run now's per-person limit (default 5 a minute; tests lower it). */
  runNowPerPerson?: RateWindow;
  /** Replaces the GitHub user API (benchmarks). */
  github?: GitHubUserApi;
}

/** github.com's web address, or the GitHub Enterprise Server host the API URL belongs to. */
export function webUrlOf(apiUrl: string | undefined): string {
  return apiUrl ? apiUrl.replace(/\/api\/v3\/?$/, '') : 'https://github.com';
}

export function buildDashboard(args: {
  config: Omit<BotConfig, 'port'>;
  store: RedisStore;
  dashboard: RedisDashboardStore;
  sealer: Sealer;
  run: RunNowDeps;
  slots: RunSlots;
  installations: InstallationClients;
  options?: DashboardOptions;
}): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | null {
  const { config, run, options = {} } = args;
  if (!config.oauth) return null;
  return createDashboard({
    publicUrl: config.publicUrl,
    webUrl: webUrlOf(config.githubApiUrl),
    redirectUrl: `${config.publicUrl}/auth/callback`,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    ...(options.liveMaxMs ? { liveMaxMs: options.liveMaxMs } : {}),
    store: args.store,
    dashboard: args.dashboard,
    sealer: args.sealer,
    status: statusStoreOf(args.store, run.clock),
    runs: createRunStore(args.store, () => run.clock.now()),
    github:
      options.github ??
      createGitHubUserApi({
        clientId: config.oauth.clientId,
        clientSecret: config.oauth.clientSecret,
        ...(config.githubApiUrl ? { apiUrl: config.githubApiUrl } : {}),
      }),
    // One Redis reader per test and process, fanned out to every open view of it.
    feed: fanOutFeed(createEventFeed(args.store, options.feed), {
      readAfter: (testId, afterId, limit) => args.store.readEvents(testId, { afterId, limit }),
    }),
    clock: run.clock,
    logger: run.logger,
    run,
    slots: args.slots,
    runGate: {
      store: args.store,
      rate: args.store,
      ...(options.runNowPerPerson ? { perPerson: options.runNowPerPerson } : {}),
    },
    async permissionOf(repo, login) {
      const octokit = await args.installations.octokitFor(repo);
      const [owner, name] = repo.split('/') as [string, string];
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
        {
          owner,
          repo: name,
          username: login,
        },
      );
      return (data as { permission: string }).permission;
    },
  });
}
