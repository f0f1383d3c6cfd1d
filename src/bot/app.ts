/**
 * The HouseCat GitHub App: a Probot 14 app plus its own routes, built from its dependencies
 * (no module-level state, nothing done at import time).
 *
 * Probot 14 removed getRouter and turns `port: 0` into 3000, so the app runs on our own
 * `http.createServer`; every route, Probot's webhook route included, is declared in the route table
 * (src/web/route-table.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createNodeMiddleware, type Probot } from 'probot';
import { composeGitHub, type GitHubParts } from '../adapters/compose-github.js';
import type { OutboxDrainer } from '../app/outbox-drainer.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { cachedStatusReader, PUBLIC_CACHE_MS } from '../web/cached-status-reader.js';
import { createRouter, routeTable, WEBHOOK_ROUTE } from '../web/route-table.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../web/server-limits.js';
import { listenWith } from './app-server.js';
import { channelHealth, type Wiring, wireUseCases } from './app-wiring.js';
import type { BotDeps } from './bot-deps.js';
import { handleCallback } from './callback-route.js';
import { buildDashboard } from './dashboard/index.js';
import { handleLiveness, readinessHandler } from './health-routes.js';
import { metricsHandler } from './metrics-route.js';
import { githubWebUrl, handleStatusRoutes } from './status/routes.js';
import { handleWatchdog } from './watchdog-route.js';
import { registerWebhooks } from './webhook-routes.js';

export { UnqueuedOctokit } from '../adapters/compose-github.js';
export type { BotDeps } from './bot-deps.js';

export const WEBHOOK_PATH = WEBHOOK_ROUTE;

export interface BotApp {
  probot: Probot;
  tracker: IssueTracker;
  /** The GitHub outbox's drainer: `listen` starts a sweep; the watchdog may `kick` it. */
  outbox: OutboxDrainer;
  /** The alert channels of this app, and their health as the dashboard shows it. */
  alerts: Wiring['alerts'];
  /** Node request handler: the route table (src/web/route-table.ts). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Listens on `port` (0: an ephemeral port) and `host`. `close(graceMs)` stops accepting at once,
   * lets requests in flight finish for up to `graceMs` (default 0: cut them now), then cuts the rest.
   */
  listen(
    port?: number,
    host?: string,
  ): Promise<{ url: string; port: number; server: Server; close(graceMs?: number): Promise<void> }>;
}

/**
 * Builds the app: the GitHub parts and the storage are composed below the entry (adapters/compose-*.ts);
 * this wires the use cases over them and declares the routes.
 */
export async function createApp(deps: BotDeps): Promise<BotApp> {
  const clock = deps.clock ?? systemClock;
  const { config, storage } = deps;
  const github = await composeGitHub({
    appId: config.appId,
    privateKey: config.privateKey,
    webhookSecret: config.webhookSecret,
    ...(config.githubApiUrl ? { githubApiUrl: config.githubApiUrl } : {}),
    ...(config.oauth ? { oauth: config.oauth } : {}),
    storage,
    clock,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.logLevel ? { logLevel: deps.logLevel } : {}),
    ...(deps.probotLog ? { probotLog: deps.probotLog } : {}),
    ...(deps.Octokit ? { Octokit: deps.Octokit } : {}),
    ...(deps.throttle ? { throttle: deps.throttle } : {}),
    ...(deps.contentLimits ? { contentLimits: deps.contentLimits } : {}),
    ...(deps.createTimeoutMs !== undefined ? { createTimeoutMs: deps.createTimeoutMs } : {}),
  });
  const wiring = wireUseCases(deps, github, clock);
  const handle = await routesOf(deps, github, wiring, clock);
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...deps.serverLimits };
  const { outbox } = wiring;
  return {
    probot: github.probot,
    tracker: github.tracker,
    outbox,
    alerts: wiring.alerts,
    handle,
    listen: (port = 0, host = '127.0.0.1') =>
      listenWith({ handle, outbox, logger: github.logger, limits }, port, host),
  };
}

/**
 * The route table's handlers. Probot serves only the webhook route: every route, this one included,
 * is declared in the route table (src/web/route-table.ts), which applies each group's limits and
 * headers first.
 */
async function routesOf(deps: BotDeps, github: GitHubParts, wiring: Wiring, clock: Clock) {
  const { config, storage } = deps;
  const { installations, logger } = github;
  const webhooks = await createNodeMiddleware(
    (app) => registerWebhooks(app, { ...wiring.requests, installations }),
    { probot: github.probot, webhooksPath: WEBHOOK_PATH },
  );
  const dashboard = buildDashboard({
    config,
    storage,
    dashboard: wiring.dashboardStore,
    sealer: wiring.sealer,
    run: wiring.run,
    slots: wiring.slots,
    github: github.userApi,
    permissionOf: github.permissionOf,
    ...(deps.dashboard ? { options: deps.dashboard } : {}),
    alertChannels: () => channelHealth(wiring.alerts.notifier, wiring.alerts.health),
  });
  const publicCacheMs = deps.publicCacheMs ?? PUBLIC_CACHE_MS;
  const status = {
    // Public reads are reused for a few seconds in this process (src/web/cached-status-reader.ts).
    reader: cachedStatusReader(deps.statusReader ?? storage.status, clock, publicCacheMs),
    viewStepMs: publicCacheMs,
    clock,
    logger,
    publicUrl: config.publicUrl,
    githubWebUrl: githubWebUrl(config.githubApiUrl),
  };
  return createRouter(
    routeTable({
      health: handleLiveness,
      metrics: metricsHandler(wiring.metrics, deps.metricsToken),
      ready: readinessHandler(() => storage.health.ping()),
      callback: (req, res) => handleCallback(wiring.callback, req, res),
      watchdog: (req, res) => handleWatchdog(wiring.watchdog, req, res),
      webhooks: async (req, res) => (await webhooks(req, res)) !== false,
      status: (req, res) => handleStatusRoutes(status, req, res),
      dashboard,
    }),
  );
}
