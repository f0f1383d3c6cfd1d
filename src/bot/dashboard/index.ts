/**
 * Builds the dashboard's request handler from the app's parts, or nothing when Sign in with GitHub
 * is not configured (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET): the app then serves webhooks and
 * callbacks only.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Storage } from '../../adapters/compose-storage.js';
import type { EventFeedOptions } from '../../adapters/store/event-follower.js';
import type { LocalOperator } from '../../app/dashboard/local-access.js';
import { fanOutFeed } from '../../app/live-fanout.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { DashboardStore, GitHubUserApi } from '../../core/dashboard/ports.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import { ServiceError } from '../../core/errors.js';
import type { RateWindow } from '../../core/limits/ports.js';
import type { ChannelHealth } from '../../core/notify/ports.js';
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

/**
 * The dashboard over the composed parts (storage, the GitHub user API, the permission lookup), or
 * null when Sign in with GitHub is not configured.
 */
export function buildDashboard(args: {
  config: Omit<BotConfig, 'port'>;
  storage: Storage;
  dashboard: DashboardStore;
  sealer: Sealer;
  run: RunNowDeps;
  slots: RunSlots;
  /** Sign in with GitHub's user API (adapters/compose-github.ts); null without `config.oauth`. */
  github: GitHubUserApi | null;
  /** The one permission lookup, as the app's installation (adapters/github/installations.ts). */
  permissionOf(repo: string, login: string): Promise<string>;
  options?: DashboardOptions;
  /** The alert channels and their health (the home page lists them). */
  alertChannels?: () => Promise<ChannelHealth[]>;
}): DashboardHandler | null {
  const { config, options = {} } = args;
  const github = options.github ?? args.github;
  if (!config.oauth || !github) return null;
  return dashboardOver({
    ...args,
    publicUrl: config.publicUrl,
    webUrl: webUrlOf(config.githubApiUrl),
    github,
    options,
    permissionOf: (repo, login) =>
      args.permissionOf(repo, login).catch((error: unknown) => {
        // The app's credentials asked this, not the person's token: GitHub refusing them must not
        // end the person's session (the dashboard signs out on a 401 from their own token).
        if (error instanceof ServiceError && error.status === 401) throw new Error(error.message);
        throw error;
      }),
  });
}

type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The dashboard's routes over the composed storage: the one place its parts are put together, for
 * the app (buildDashboard) and `housecat up` (up/local-dashboard.ts, which adds the local operator).
 */
export function dashboardOver(args: {
  publicUrl: string;
  /** GitHub's web address for issue links. */
  webUrl: string;
  storage: Storage;
  dashboard: DashboardStore;
  sealer: Sealer;
  run: RunNowDeps;
  slots: RunSlots;
  github: GitHubUserApi;
  permissionOf(repo: string, login: string): Promise<string>;
  options?: DashboardOptions;
  alertChannels?: () => Promise<ChannelHealth[]>;
  /** `housecat up`'s local access: every request served as this operator, with no sign-in. */
  localOperator?: LocalOperator;
}): DashboardHandler {
  const { run, storage, options = {} } = args;
  return createDashboard({
    publicUrl: args.publicUrl,
    webUrl: args.webUrl,
    ...(args.alertChannels ? { alertChannels: args.alertChannels } : {}),
    redirectUrl: `${args.publicUrl}/auth/callback`,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    ...(options.liveMaxMs ? { liveMaxMs: options.liveMaxMs } : {}),
    store: storage.results,
    dashboard: args.dashboard,
    sealer: args.sealer,
    status: storage.status,
    runs: storage.runs,
    github: args.github,
    // One Redis reader per test and process, fanned out to every open view of it.
    feed: fanOutFeed(storage.follow(options.feed), {
      readAfter: (testId, afterId, limit) => storage.results.readEvents(testId, { afterId, limit }),
    }),
    clock: run.clock,
    logger: run.logger,
    run,
    slots: args.slots,
    runGate: {
      store: storage.results,
      rate: storage.slots,
      ...(options.runNowPerPerson ? { perPerson: options.runNowPerPerson } : {}),
    },
    ...(args.localOperator ? { localOperator: args.localOperator } : {}),
    permissionOf: args.permissionOf,
  });
}
