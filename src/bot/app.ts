/**
 * The HouseCat GitHub App: a Probot 14 app plus its own routes, built from its dependencies
 * (no module-level state, nothing done at import time).
 *
 * Probot 14 removed getRouter and turns `port: 0` into 3000, so the app runs on our own
 * `http.createServer`; every route, Probot's webhook route included, is declared in the route table
 * (src/web/route-table.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { createInstallationClients, permissionOn } from '../adapters/github/installations.js';
import { createGitHubIssueTracker } from '../adapters/github/issue-tracker.js';
import { createRateBudgetRecorder } from '../adapters/github/rate-budget.js';
import { withRateLimitPause } from '../adapters/github/rate-limit-pause.js';
import { createSharedContentThrottle } from '../adapters/github/shared-throttle.js';
import { type ContentThrottle, createContentThrottle } from '../adapters/github/throttle.js';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { createDashboardStore } from '../adapters/store/dashboard-store.js';
import { RedisStore } from '../adapters/store/redis-store.js';
import { createRunStore } from '../adapters/store/run-store.js';
import { statusStoreOf } from '../adapters/store/status-store.js';
import { carryOutRequest, type RequestDeps } from '../app/on-request.js';
import { createOutboxDrainer, type OutboxDrainer } from '../app/outbox-drainer.js';
import { createSealer } from '../core/dashboard/sealer.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { SharedRateLimit } from '../core/limits/ports.js';
import type { Agent, Clock, Logger, StatusReader, Store } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import type { EnvironmentFacts } from '../core/run/environment-check.js';
import type { ScheduleLister, WatchdogStore } from '../core/scheduling/ports.js';
import { cachedStatusReader, PUBLIC_CACHE_MS } from '../web/cached-status-reader.js';
import { createRouter, routeTable, WEBHOOK_ROUTE } from '../web/route-table.js';
import { applyServerLimits, DEFAULT_SERVER_LIMITS, type ServerLimits } from '../web/server-limits.js';
import { type CallbackDeps, handleCallback } from './callback-route.js';
import { type BotConfig, sessionSecretsOf } from './config.js';
import { buildDashboard, type DashboardOptions } from './dashboard/index.js';
import { handleLiveness, readinessHandler } from './health-routes.js';
import { sendJson } from './http.js';
import { metricsHandler } from './metrics-route.js';
import { createRunSlots } from './run-slots.js';
import { createSignatureVerifier } from './signature.js';
import { githubWebUrl, handleStatusRoutes, type StatusRouteDeps } from './status/routes.js';
import { handleWatchdog } from './watchdog-route.js';
import { registerWebhooks } from './webhook-routes.js';

export const WEBHOOK_PATH = WEBHOOK_ROUTE;

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

export interface BotDeps {
  config: Omit<BotConfig, 'port'>;
  store: Store;
  agent: Agent;
  clock?: Clock;
  logger?: Logger;
  /** Probot's log level (default `warn`). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** The Octokit class Probot builds clients from (default: UnqueuedOctokit). */
  Octokit?: typeof ProbotOctokit;
  /**
   * The content-creation throttle. Default: shared by every replica through the store's Redis
   * (75 a minute, 480 an hour, or `contentLimits`); in process memory for a store without it.
   */
  throttle?: ContentThrottle;
  /** Limits of the default shared throttle (tests scale them down). */
  contentLimits?: { perMinute?: number; perHour?: number; minuteMs?: number };
  /** Upper bound of one run (default 240 s), below QStash's response timeout. */
  maxRunMs?: number;
  /** Seconds of clock skew accepted on QStash tokens (default 5). */
  clockToleranceS?: number;
  /** How long the answer to QStash waits for the GitHub issue update (default 20 s; it finishes afterwards). */
  incidentWaitMs?: number;
  /** How long an issue create may take before it is reconciled by marker (default 10 s). */
  createTimeoutMs?: number;
  secretsFor?: (names: string[]) => Record<string, string>;
  /** What the environment offers: a delivery of a test it cannot run is recorded as an error naming the fix. */
  environment?: EnvironmentFacts;
  /**
   * Scheduled runs at once in this process (HOUSECAT_MAX_PARALLEL_RUNS; `housecat serve` always
   * passes one); past it a delivery answers 429 with Retry-After. Unset: no bound.
   */
  maxParallelRuns?: number;
  /** The dashboard's tunables (it runs when `config.oauth` is set and the store is a Redis store). */
  dashboard?: DashboardOptions;
  /** Reads behind status pages, badges and the read API (default: from the store when it is Redis). */
  statusReader?: StatusReader;
  /** QStash's schedule list for the watchdog's check (needs QSTASH_TOKEN); unset: not checked. */
  schedules?: ScheduleLister | null;
  /** How long public status reads are reused in this process (default 5 s; 0 turns the cache off). */
  publicCacheMs?: number;
  /** HOUSECAT_METRICS_TOKEN: turns on GET /metrics for scrapers sending it as a bearer token. */
  metricsToken?: string;
  /** Browser contexts open now, for /metrics (`housecat serve` passes its pool's count). */
  browserContexts?: () => number;
  /** Header/request timeouts and the connection cap (src/web/server-limits.ts; tests shorten them). */
  serverLimits?: Partial<ServerLimits>;
}

export interface BotApp {
  probot: Probot;
  tracker: IssueTracker;
  /** The GitHub outbox's drainer: `listen` starts a sweep; the watchdog may `kick` it. */
  outbox: OutboxDrainer;
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

/** Builds the app. */
export async function createApp(deps: BotDeps): Promise<BotApp> {
  const { config, store, agent } = deps;
  const clock = deps.clock ?? systemClock;
  const throttle = deps.throttle ?? defaultThrottle(store, deps.contentLimits);
  const rateBudget = createRateBudgetRecorder();
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    logLevel: deps.logLevel ?? 'warn',
    ...(config.githubApiUrl ? { baseUrl: config.githubApiUrl } : {}),
    Octokit: withRateLimitPause(deps.Octokit ?? UnqueuedOctokit, throttle, () => clock.now(), rateBudget),
  });
  await probot.ready();
  const logger: Logger = deps.logger ?? {
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
    ...(deps.createTimeoutMs !== undefined ? { createTimeoutMs: deps.createTimeoutMs } : {}),
    logger,
  });
  // Webhook work waits in the outbox (GitHub never redelivers a webhook): the drainer carries it out
  // with the request deps, built below from the same run deps.
  let requestDeps: RequestDeps | undefined;
  const outbox = createOutboxDrainer({
    store,
    tracker,
    clock,
    logger,
    requests: {
      carryOut: (item) => {
        if (!requestDeps) throw new Error('the app is still starting');
        return carryOutRequest(requestDeps, item);
      },
    },
  });
  const sealer = createSealer(sessionSecretsOf(config));
  const metrics = deps.metricsToken
    ? createPrometheusMetrics({
        ...(store instanceof RedisStore
          ? {
              outbox: () => store.outboxStats(),
              activeIncidents: () => store.activeIncidents(),
              redisFailures: () => store.transport.failures ?? 0,
            }
          : {}),
        ...(deps.browserContexts ? { browserContexts: deps.browserContexts } : {}),
        githubRateBudget: () => rateBudget.read(),
        now: () => clock.now(),
      })
    : null;
  const runDeps = {
    store,
    agent,
    clock,
    logger,
    outbox,
    maxRunMs: deps.maxRunMs ?? DEFAULT_MAX_RUN_MS,
    incident: { store, tracker, clock, logger, links: { app: config.publicUrl } },
    ...(deps.secretsFor ? { secretsFor: deps.secretsFor } : {}),
    ...(deps.environment ? { environment: deps.environment } : {}),
    ...(metrics ? { metrics } : {}),
    // A missing key or secret is logged once per test by this process, not on every run.
    configLogged: new Set<string>(),
    // Failure screenshots (`shot:{id}`) and the dashboard live beside the main store's keys.
    ...(store instanceof RedisStore ? { shots: createDashboardStore(store, sealer) } : {}),
    // The run page's records, step screenshots and traces (issue 29).
    ...(store instanceof RedisStore ? { runs: createRunStore(store, () => clock.now()) } : {}),
  };
  const incidentWaitMs = deps.incidentWaitMs ?? 20_000;
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...deps.serverLimits };
  // One bound for scheduled runs and `/housecat run` alike: both start a browser context.
  const slots = createRunSlots(deps.maxParallelRuns ?? Number.POSITIVE_INFINITY);
  requestDeps = {
    ...runDeps,
    tracker,
    // Schedules first: manual runs never take the last slot from another repository's schedule.
    slots: slots.manual,
    permissionOf: (repo, login) => permissionOn(installations, repo, login),
  };
  const callbackDeps: CallbackDeps = {
    ...runDeps,
    verifier: createSignatureVerifier({
      currentSigningKey: config.signingKeys.current,
      nextSigningKey: config.signingKeys.next,
      clockToleranceS: deps.clockToleranceS ?? 5,
    }),
    publicUrl: config.publicUrl,
    incidentWaitMs,
    slots,
  };
  const dashboard =
    store instanceof RedisStore
      ? buildDashboard({
          config,
          store,
          dashboard: createDashboardStore(store, sealer),
          sealer,
          run: runDeps,
          slots: callbackDeps.slots,
          installations,
          ...(deps.dashboard ? { options: deps.dashboard } : {}),
        })
      : null;

  const publicCacheMs = deps.publicCacheMs ?? PUBLIC_CACHE_MS;
  const publicReader =
    deps.statusReader ?? (store instanceof RedisStore ? statusStoreOf(store, clock) : null);
  const statusDeps: StatusRouteDeps = {
    // Public reads are reused for a few seconds in this process (src/web/cached-status-reader.ts).
    reader: publicReader ? cachedStatusReader(publicReader, clock, publicCacheMs) : null,
    viewStepMs: publicCacheMs,
    clock,
    logger,
    publicUrl: config.publicUrl,
    githubWebUrl: githubWebUrl(config.githubApiUrl),
  };

  // Both store adapters can read every test in one pipeline; a store that cannot gets a 501 there.
  const watchdogStore: Store & WatchdogStore =
    'watchSnapshot' in store
      ? (store as Store & WatchdogStore)
      : Object.assign(Object.create(store) as Store, {
          watchSnapshot: () => Promise.reject(new Error('this store cannot list tests for the watchdog')),
        });
  const watchdogDeps = {
    ...runDeps,
    store: watchdogStore,
    verifier: callbackDeps.verifier,
    publicUrl: config.publicUrl,
    callbackUrl: config.publicUrl,
    schedules: deps.schedules ?? null,
  };

  // Probot serves only the webhook route: every route, this one included, is declared in the
  // route table (src/web/route-table.ts), which applies each group's limits and headers first.
  const webhooks = await createNodeMiddleware(
    (app) => registerWebhooks(app, { ...(requestDeps as RequestDeps), installations }),
    { probot, webhooksPath: WEBHOOK_PATH },
  );
  const handle = createRouter(
    routeTable({
      health: handleLiveness,
      metrics: metricsHandler(metrics, deps.metricsToken),
      ready: readinessHandler(store instanceof RedisStore ? () => store.ping() : null),
      callback: (req, res) => handleCallback(callbackDeps, req, res),
      watchdog: (req, res) => handleWatchdog(watchdogDeps, req, res),
      webhooks: async (req, res) => (await webhooks(req, res)) !== false,
      status: (req, res) => handleStatusRoutes(statusDeps, req, res),
      dashboard,
    }),
  );

  return {
    probot,
    tracker,
    outbox,
    handle,
    async listen(port = 0, host = '127.0.0.1') {
      const server = createServer({ connectionsCheckingInterval: limits.checkIntervalMs }, (req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error(`request ${req.method} ${req.url} failed: ${String(error)}`);
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        });
      });
      // Set on the server (not as createServer options, which Node 20 does not all take) before listening.
      applyServerLimits(server, limits);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      // The start-up sweep: GitHub work a previous process left unfinished (it crashed, or GitHub was
      // down) is carried out now, not at the next delivery.
      outbox
        .drainAll()
        .then((r) => {
          if (r.tests > 0) {
            logger.info(
              `outbox: ${r.done} pending GitHub update(s) done at start-up, ${r.retrying} to retry, ${r.dropped} given up, ${r.busy} held by another process`,
            );
          }
        })
        .catch((error: unknown) => logger.error(`outbox sweep at start-up failed: ${String(error)}`));
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${shown}:${actual}`,
        port: actual,
        server,
        close: (graceMs = 0) => closeServer(server, () => outbox.close(), graceMs),
      };
    },
  };
}

/**
 * Stops accepting, then waits for requests in flight for up to `graceMs` before cutting them. Idle
 * keep-alive connections are closed as they become idle (a caller's pooled connection must not hold
 * the process for the whole grace). The outbox's timer stops first: its pending work stays in Redis.
 */
function closeServer(server: Server, stopOutbox: () => void, graceMs: number): Promise<void> {
  stopOutbox();
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    if (graceMs <= 0) server.closeAllConnections();
  });
}

/** Shared through Redis when the store can (every replica then stays under one limit). */
function defaultThrottle(store: Store, limits: BotDeps['contentLimits'] = {}): ContentThrottle {
  if ('takeSlot' in store) return createSharedContentThrottle(store as Store & SharedRateLimit, limits);
  return createContentThrottle({
    ...(limits.perMinute !== undefined ? { max: limits.perMinute } : {}),
    ...(limits.minuteMs !== undefined ? { windowMs: limits.minuteMs } : {}),
    ...(limits.perHour !== undefined ? { maxPerHour: limits.perHour } : {}),
  });
}
