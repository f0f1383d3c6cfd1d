/**
 * The GitHub side of the app, composed once: Probot with HouseCat's Octokit (rate-limit pause,
 * content throttle shared through Redis), the installation clients, the issue tracker, the one
 * permission lookup, and the user API of Sign in with GitHub. Part of the composition root (see
 * compose-storage.ts): bot/app.ts takes these parts and wires the use cases over them.
 */
import { Probot, type Logger as ProbotLog, ProbotOctokit } from 'probot';
import type { GitHubUserApi } from '../core/dashboard/ports.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Storage } from './compose-storage.js';
import { createInstallationClients, type InstallationClients, permissionOn } from './github/installations.js';
import { createGitHubIssueTracker } from './github/issue-tracker.js';
import { createRateBudgetRecorder, type RateBudgetRecorder } from './github/rate-budget.js';
import { withRateLimitPause } from './github/rate-limit-pause.js';
import { createSharedContentThrottle } from './github/shared-throttle.js';
import type { ContentThrottle } from './github/throttle.js';
import { createGitHubUserApi } from './github/user-api.js';

/**
 * Probot's Octokit without its request queue (the throttling plugin). That queue holds every
 * content creation 3 s behind the previous one, one at a time: 100 failing tests would wait 5
 * minutes for their issues, and its own retry of a rate-limited create bypasses our throttle.
 * Creations go through HouseCat's content throttle instead (under GitHub's 80 a minute), and a
 * refused one is retried by the outbox once GitHub's wait is over (withRateLimitPause).
 */
export const UnqueuedOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
})) as typeof ProbotOctokit;

/** Limits of the shared content throttle (tests scale them down). */
export interface ContentLimits {
  perMinute?: number;
  perHour?: number;
  minuteMs?: number;
}

export interface GitHubSettings {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  githubApiUrl?: string;
  /** Sign in with GitHub; without it there is no user API (and no dashboard). */
  oauth?: { clientId: string; clientSecret: string };
  storage: Storage;
  clock: Clock;
  /** Default: Probot's own log. */
  logger?: Logger;
  /** Probot's log level (default `warn`); unused with `probotLog`, which has its own. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Probot's logger: `housecat serve` passes its own (src/adapters/log), so Probot's lines share its format. */
  probotLog?: ProbotLog;
  /** The Octokit class Probot builds clients from (default: UnqueuedOctokit). */
  Octokit?: typeof ProbotOctokit;
  /**
   * The content-creation throttle. Default: shared by every replica through Redis (storage.slots),
   * 75 a minute and 480 an hour, or `contentLimits`.
   */
  throttle?: ContentThrottle;
  /** Limits of the default shared throttle (tests scale them down). */
  contentLimits?: ContentLimits;
  /** How long an issue create may take before it is reconciled by marker (default 10 s). */
  createTimeoutMs?: number;
}

export interface GitHubParts {
  probot: Probot;
  logger: Logger;
  installations: InstallationClients;
  tracker: IssueTracker;
  /** GitHub's rate-limit headers as last seen, for /metrics. */
  rateBudget: RateBudgetRecorder;
  /**
   * The permission of `login` on `repo` (admin, maintain, write, triage, read, none), asked now as
   * the app's installation: the one lookup behind `/housecat run` and the dashboard's Run now.
   */
  permissionOf(repo: string, login: string): Promise<string>;
  /** The signed-in person's side of GitHub, when Sign in with GitHub is configured. */
  userApi: GitHubUserApi | null;
}

/** Builds Probot and every GitHub adapter the app uses over it. */
export async function composeGitHub(settings: GitHubSettings): Promise<GitHubParts> {
  const { clock } = settings;
  const throttle = settings.throttle ?? sharedThrottle(settings.storage, settings.contentLimits);
  const rateBudget = createRateBudgetRecorder();
  const Octokit = settings.Octokit ?? UnqueuedOctokit;
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    logLevel: settings.logLevel ?? 'warn',
    ...(settings.probotLog ? { log: settings.probotLog } : {}),
    ...(settings.githubApiUrl ? { baseUrl: settings.githubApiUrl } : {}),
    Octokit: withRateLimitPause(Octokit, throttle, () => clock.now(), rateBudget),
  });
  await probot.ready();
  const logger: Logger = settings.logger ?? {
    info: (m) => probot.log.info(m),
    warn: (m) => probot.log.warn(m),
    error: (m) => probot.log.error(m),
    debug: (m) => probot.log.debug(m),
  };
  const installations = createInstallationClients(probot);
  const tracker = createGitHubIssueTracker({
    octokitFor: (repo) => installations.octokitFor(repo),
    throttle,
    now: () => clock.now(),
    ...(settings.createTimeoutMs !== undefined ? { createTimeoutMs: settings.createTimeoutMs } : {}),
    logger,
  });
  const { oauth, githubApiUrl } = settings;
  const userApi = oauth
    ? createGitHubUserApi({
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        ...(githubApiUrl ? { apiUrl: githubApiUrl } : {}),
      })
    : null;
  return {
    probot,
    logger,
    installations,
    tracker,
    rateBudget,
    permissionOf: (repo, login) => permissionOn(installations, repo, login),
    userApi,
  };
}

/** Content creation shared through Redis: every replica then stays under one limit. */
function sharedThrottle(storage: Storage, limits: ContentLimits = {}): ContentThrottle {
  return createSharedContentThrottle(storage.slots, limits);
}
