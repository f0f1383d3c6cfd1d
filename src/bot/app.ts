/**
 * The HouseCat GitHub App: a Probot 14 app plus its own routes, built from its dependencies
 * (no module-level state, nothing done at import time).
 *
 * Probot 14 removed getRouter and turns `port: 0` into 3000, so the app runs on our own
 * `http.createServer`; every route, Probot's webhook route included, is declared in the route table
 * (src/web/route-table.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createNodeMiddleware, type Probot, type ProbotOctokit } from 'probot';
import { type ContentLimits, composeGitHub, type GitHubParts } from '../adapters/compose-github.js';
import type { Storage } from '../adapters/compose-storage.js';
import type { ContentThrottle } from '../adapters/github/throttle.js';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { carryOutRequest, type RequestDeps } from '../app/on-request.js';
import { createOutboxDrainer, type OutboxDrainer } from '../app/outbox-drainer.js';
import type { RunNowDeps } from '../app/run-now.js';
import type { WatchdogDeps } from '../app/watchdog.js';
import { createSealer } from '../core/dashboard/sealer.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Agent, Clock, Logger, StatusReader } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import type { EnvironmentFacts } from '../core/run/environment-check.js';
import type { ScheduleLister } from '../core/scheduling/ports.js';
import { cachedStatusReader, PUBLIC_CACHE_MS } from '../web/cached-status-reader.js';
import { createRouter, routeTable, WEBHOOK_ROUTE } from '../web/route-table.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../web/server-limits.js';
import { listenWith } from './app-server.js';
import { type CallbackDeps, handleCallback } from './callback-route.js';
import { type BotConfig, sessionSecretsOf } from './config.js';
import { buildDashboard, type DashboardOptions } from './dashboard/index.js';
import { handleLiveness, readinessHandler } from './health-routes.js';
import { metricsHandler } from './metrics-route.js';
import { createRunSlots, type RunSlots } from './run-slots.js';
import { createSignatureVerifier, type SignatureVerifier } from './signature.js';
import { githubWebUrl, handleStatusRoutes } from './status/routes.js';
import { handleWatchdog } from './watchdog-route.js';
import { registerWebhooks } from './webhook-routes.js';

export { UnqueuedOctokit } from '../adapters/compose-github.js';

export const WEBHOOK_PATH = WEBHOOK_ROUTE;

export interface BotDeps {
  config: Omit<BotConfig, 'port'>;
  /** Every store the app reads and writes, over one Redis (adapters/compose-storage.ts). */
  storage: Storage;
  agent: Agent;
  clock?: Clock;
  logger?: Logger;
  /** Probot's log level (default `warn`). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** The Octokit class Probot builds clients from (default: UnqueuedOctokit). */
  Octokit?: typeof ProbotOctokit;
  /**
   * The content-creation throttle. Default: shared by every replica through Redis (75 a minute,
   * 480 an hour, or `contentLimits`).
   */
  throttle?: ContentThrottle;
  /** Limits of the default shared throttle (tests scale them down). */
  contentLimits?: ContentLimits;
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
  /** The dashboard's tunables (it runs when `config.oauth` is set). */
  dashboard?: DashboardOptions;
  /** Reads behind status pages, badges and the read API (default: `storage.status`). */
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
    handle,
    listen: (port = 0, host = '127.0.0.1') =>
      listenWith({ handle, outbox, logger: github.logger, limits }, port, host),
  };
}

/** The use cases' dependencies, each built once and shared by the routes. */
interface Wiring {
  outbox: OutboxDrainer;
  run: RunNowDeps;
  requests: RequestDeps;
  callback: CallbackDeps;
  watchdog: WatchdogDeps & { verifier: SignatureVerifier; publicUrl: string };
  slots: RunSlots;
  metrics: ReturnType<typeof createPrometheusMetrics> | null;
  dashboardStore: ReturnType<Storage['dashboard']>;
  sealer: ReturnType<typeof createSealer>;
}

function wireUseCases(deps: BotDeps, github: GitHubParts, clock: Clock): Wiring {
  const { config, storage, agent } = deps;
  const { tracker, logger } = github;
  const store = storage.results;
  // Webhook work waits in the outbox (GitHub never redelivers a webhook): the drainer carries it out
  // with the request deps, built below from the same run deps.
  let requests: RequestDeps | undefined;
  const outbox = createOutboxDrainer({
    store,
    tracker,
    clock,
    logger,
    requests: {
      carryOut: (item) => {
        if (!requests) throw new Error('the app is still starting');
        return carryOutRequest(requests, item);
      },
    },
  });
  const sealer = createSealer(sessionSecretsOf(config));
  // Failure screenshots (`shot:{id}`) and the dashboard's sessions live beside the main store's keys.
  const dashboardStore = storage.dashboard(sealer);
  const metrics = deps.metricsToken ? metricsOf(deps, github, clock) : null;
  const run: RunNowDeps = {
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
    shots: dashboardStore,
  };
  // One bound for scheduled runs and `/housecat run` alike: both start a browser context.
  const slots = createRunSlots(deps.maxParallelRuns ?? Number.POSITIVE_INFINITY);
  // Schedules first: manual runs never take the last slot from another repository's schedule.
  requests = { ...run, tracker, slots: slots.manual, permissionOf: github.permissionOf };
  const verifier = createSignatureVerifier({
    currentSigningKey: config.signingKeys.current,
    nextSigningKey: config.signingKeys.next,
    clockToleranceS: deps.clockToleranceS ?? 5,
  });
  const publicUrl = config.publicUrl;
  const callback: CallbackDeps = {
    ...run,
    verifier,
    publicUrl,
    incidentWaitMs: deps.incidentWaitMs ?? 20_000,
    slots,
  };
  const watchdog = {
    ...run,
    // The watchdog reads every test in one pipeline (WatchdogStore), beyond the Store port.
    store,
    verifier,
    publicUrl,
    callbackUrl: publicUrl,
    schedules: deps.schedules ?? null,
  };
  return { outbox, run, requests, callback, watchdog, slots, metrics, dashboardStore, sealer };
}

/** GET /metrics's sources: Redis's outbox and incidents, the browser pool, GitHub's rate budget. */
function metricsOf(deps: BotDeps, github: GitHubParts, clock: Clock) {
  const { health } = deps.storage;
  return createPrometheusMetrics({
    outbox: () => health.outboxStats(),
    activeIncidents: () => health.activeIncidents(),
    redisFailures: () => health.failures(),
    ...(deps.browserContexts ? { browserContexts: deps.browserContexts } : {}),
    githubRateBudget: () => github.rateBudget.read(),
    now: () => clock.now(),
  });
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
