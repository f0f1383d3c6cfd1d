/**
 * `housecat up`'s app: the production use cases wired for one machine. Each tick of the in-process
 * scheduler goes to the QStash callback's use case (app/local-delivery.ts → handle-delivery.ts);
 * skipped ticks and a 5-minute timer run the watchdog's use case; `apply` is `housecat sync` with
 * the in-process scheduler in QStash's place; the pages are the app's own. Nothing here decides
 * anything the app decides: it only composes.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Storage, storageOf } from '../../adapters/compose-storage.js';
import { createNotifier } from '../../adapters/notify/index.js';
import type { LocalIssueTracker } from '../../adapters/store/local-issue-tracker.js';
import type { RedisStore } from '../../adapters/store/redis-store.js';
import type { DeliveryOutcome } from '../../app/handle-delivery.js';
import { deliverTick, type LocalDeliveryDeps } from '../../app/local-delivery.js';
import { createLocalSchedule, type LocalSchedule, type SkippedTicks } from '../../app/local-schedule.js';
import type { RunNowDeps } from '../../app/run-now.js';
import { type SyncOutcome, syncTests } from '../../app/sync-tests.js';
import { runWatchdog } from '../../app/watchdog.js';
import { createSealer, type Sealer } from '../../core/dashboard/sealer.js';
import type { IssueTracker } from '../../core/incidents/tracker.js';
import type { ChannelSpec } from '../../core/notify/channels.js';
import type { Agent, Clock, Logger, Scheduler, StatusPageSettings } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import type { EnvironmentFacts } from '../../core/run/environment-check.js';
import type { SyncPlan } from '../../core/sync/plan.js';
import type { TestDefinition } from '../../core/types.js';
import { cachedStatusReader } from '../../web/cached-status-reader.js';
import { wireRun } from '../app-wiring.js';
import { sendJson } from '../http.js';
import { createRunSlots, type RunSlots } from '../run-slots.js';
import { githubWebUrl, handleStatusRoutes } from '../status/routes.js';
import { buildLocalDashboard, type LocalDashboardAccess } from './local-dashboard.js';
import { localIssuePage, localRouter, localStatusReader } from './local-routes.js';

/** The watchdog's period in production (its QStash schedule's default): the same here. */
const WATCHDOG_EVERY_MS = 5 * 60_000;

export interface LocalAppDeps {
  store: RedisStore;
  agent: Agent;
  /** Where incidents go: GitHub (token) or Redis (local). */
  tracker: IssueTracker;
  /** The local tracker when incidents stay in Redis (its issues get pages under /local/). */
  localIssues: LocalIssueTracker | null;
  repo: string;
  access: LocalDashboardAccess;
  logger: Logger;
  clock?: Clock;
  maxParallelRuns: number;
  /** HOUSECAT_UP_TICK_MS (test knob): every scheduled test ticks this often instead of on its cron. */
  everyMs?: number;
  secretsFor?: (names: string[]) => Record<string, string>;
  environment?: EnvironmentFacts;
  /** Alert channels (HOUSECAT_NOTIFY_*), as the app reads them. */
  channels?: readonly ChannelSpec[];
  /** Told of each finished delivery (the terminal prints one line per run). */
  onDelivered?(test: TestDefinition, outcome: DeliveryOutcome): void;
  /** GitHub sign-in mode: a person's permission, asked with GITHUB_TOKEN. */
  permissionOf?: (repo: string, login: string) => Promise<string>;
  /** False: no timers (tests drive `schedule.checkNow()`). */
  timers?: boolean;
}

export interface LocalApp {
  url: string;
  port: number;
  schedule: LocalSchedule;
  /** `housecat sync` against the in-process scheduler, then the schedule re-planned from `tests`. */
  apply(input: {
    tests: readonly TestDefinition[];
    statusPage?: StatusPageSettings;
    file: string;
    onPlan?: (plan: SyncPlan) => void;
  }): Promise<SyncOutcome>;
  /** Runs the watchdog now (what a skipped tick and the 5-minute timer do). */
  watchdog(): Promise<void>;
  /** Stops ticking and serving; deliveries in flight may finish for up to `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/** A server listening now whose handler is set once the app behind it is built (it needs the URL). */
async function listenFirst(port: number, host: string, logger: Logger) {
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  const server: Server = createServer((req, res) => {
    if (!handle) return sendJson(res, 503, { error: 'starting' });
    handle(req, res).catch((error: unknown) => {
      logger.error(`request ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actual,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    serve: (h: NonNullable<typeof handle>) => {
      handle = h;
    },
  };
}

/** The run deps, wired as the app wires them (app-wiring.ts), with this process's page as the app's address. */
function localRunDeps(
  deps: LocalAppDeps,
  storage: Storage,
  clock: Clock,
  url: string,
  sealer: Sealer,
): RunNowDeps {
  // Alert channels (HOUSECAT_NOTIFY_*) work here as in the app: outbox items, sent by the drainer.
  return wireRun({
    storage,
    agent: deps.agent,
    tracker: deps.tracker,
    clock,
    logger: deps.logger,
    publicUrl: url,
    sealer,
    notifier: createNotifier(deps.channels ?? []),
    ...(deps.secretsFor ? { secretsFor: deps.secretsFor } : {}),
    ...(deps.environment ? { environment: deps.environment } : {}),
  }).run;
}

/** The pages: the app's status routes and dashboard, plus `/` and the local incident pages. */
function localHandler(
  deps: LocalAppDeps,
  storage: Storage,
  run: RunNowDeps,
  url: string,
  sealer: Sealer,
  slots: RunSlots,
) {
  const reader = storage.status;
  const statusDeps = {
    reader: cachedStatusReader(
      deps.access.kind === 'local' ? localStatusReader(reader, deps.repo) : reader,
      run.clock,
      0,
    ),
    clock: run.clock,
    logger: run.logger,
    publicUrl: url,
    // Local incidents link to their page here; GitHub ones to GitHub.
    githubWebUrl: deps.localIssues ? `${url}/local` : githubWebUrl(undefined),
  };
  const dashboard = buildLocalDashboard({
    access: deps.access,
    pageUrl: url,
    repo: deps.repo,
    storage,
    sealer,
    run,
    slots,
    ...(deps.permissionOf ? { permissionOf: deps.permissionOf } : {}),
  });
  return localRouter({
    repo: deps.repo,
    status: (req, res) => handleStatusRoutes(statusDeps, req, res),
    dashboard,
    issues: deps.localIssues ? localIssuePage(deps.localIssues) : null,
  });
}

/** Listens on `host:port`, then builds the app behind it (its URL is in incidents and pages). */
export async function startLocalApp(deps: LocalAppDeps, port: number, host: string): Promise<LocalApp> {
  const clock = deps.clock ?? systemClock;
  const { store, logger } = deps;
  const http = await listenFirst(port, host, logger);
  const url = http.url;
  // Seals nothing that outlives the process: the local dashboard has no sessions to keep.
  const sealer = createSealer([randomBytes(32).toString('base64url')]);
  // The app's storage bundle over up's store, its reads on up's clock.
  const storage = storageOf(store, { clock });
  const run = localRunDeps(deps, storage, clock, url, sealer);
  const slots = createRunSlots(deps.maxParallelRuns);
  const stopping = new AbortController();
  const delivery: LocalDeliveryDeps = { ...run, incidentWaitMs: 20_000, slots, signal: stopping.signal };
  const watchdog = async () => {
    await runWatchdog({ ...run, store, schedules: null, callbackUrl: url });
  };
  const schedule = createLocalSchedule({
    clock,
    logger,
    ...(deps.everyMs ? { everyMs: deps.everyMs } : {}),
    ...(deps.timers === false ? { timers: false } : {}),
    deliver: async (test, tick) => deps.onDelivered?.(test, await deliverTick(delivery, test, tick)),
    onSkipped: async (skipped: SkippedTicks[]) => {
      for (const s of skipped) {
        logger.warn(
          `${s.test.id}: ${s.count} tick(s) passed without a run since ${new Date(s.since).toISOString()} (the machine slept or HouseCat was stopped)`,
        );
      }
      await watchdog();
    },
  });
  http.serve(localHandler(deps, storage, run, url, sealer, slots));
  // GitHub work a killed process left in the outbox is carried out now, as the app's start-up sweep does.
  run.outbox?.kick();
  const timer =
    deps.timers === false ? undefined : setInterval(() => void watchdog().catch(() => {}), WATCHDOG_EVERY_MS);
  timer?.unref();
  // QStash's part in a sync: schedules are the in-process scheduler's, re-planned from the file.
  const inProcess: Scheduler = { upsertSchedule: async () => {}, deleteSchedule: async () => {} };

  return {
    url,
    port: http.port,
    schedule,
    async apply(input) {
      const outcome = await syncTests(
        { store, scheduler: inProcess, clock, statusPages: storage.status },
        {
          repo: deps.repo,
          tests: input.tests,
          callbackUrl: url,
          file: input.file,
          ...(input.statusPage ? { statusPage: input.statusPage } : {}),
          ...(input.onPlan ? { onPlan: input.onPlan } : {}),
        },
      );
      schedule.set(input.tests);
      return outcome;
    },
    watchdog,
    async close(graceMs) {
      clearInterval(timer);
      http.server.close();
      // Retries waiting for their next attempt give up at once (their message is the next
      // process's, as a QStash retry would be); runs under way may finish within the grace.
      stopping.abort();
      const drained = schedule.stop();
      const cut = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([drained, cut]);
      run.outbox?.close();
      http.server.closeAllConnections();
    },
  };
}
