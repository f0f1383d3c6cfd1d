/**
 * The use cases' dependencies, built once over the composed parts and shared by the routes: the
 * outbox drainer, the run deps of a delivery, a `/housecat run` and Run now, the watchdog's, and
 * /metrics. Webhook work and scheduled runs meet here, so they share one run-slot bound.
 */
import type { GitHubParts } from '../adapters/compose-github.js';
import type { Storage } from '../adapters/compose-storage.js';
import { createPrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { createNotifier } from '../adapters/notify/index.js';
import { carryOutRequest, type RequestDeps } from '../app/incident-issue-events.js';
import { createOutboxDrainer, type OutboxDrainer } from '../app/outbox-drainer.js';
import type { DrainDeps } from '../app/outbox-pass.js';
import type { RunNowDeps } from '../app/run-now.js';
import type { WatchdogDeps } from '../app/watchdog.js';
import type { DashboardStore } from '../core/dashboard/ports.js';
import { createSealer, type Sealer } from '../core/dashboard/sealer.js';
import type { AlertContext } from '../core/incidents/alert-work.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { ChannelHealth, Notifier, NotifyHealthStore } from '../core/notify/ports.js';
import type { Agent, Clock, Logger } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import type { EnvironmentFacts } from '../core/run/environment-check.js';
import type { BotDeps } from './bot-deps.js';
import type { CallbackDeps } from './callback-route.js';
import { sessionSecretsOf } from './config.js';
import { createRunSlots, type RunSlots } from './run-slots.js';
import { createSignatureVerifier, type SignatureVerifier } from './signature.js';
import { githubWebUrl } from './status/routes.js';

/** The use cases' dependencies, each built once and shared by the routes. */
export interface Wiring {
  outbox: OutboxDrainer;
  run: RunNowDeps;
  requests: RequestDeps;
  callback: CallbackDeps;
  watchdog: WatchdogDeps & { verifier: SignatureVerifier; publicUrl: string };
  slots: RunSlots;
  metrics: ReturnType<typeof createPrometheusMetrics> | null;
  dashboardStore: ReturnType<Storage['dashboard']>;
  sealer: ReturnType<typeof createSealer>;
  /** The alert channels of this app, and their health as the dashboard shows it. */
  alerts: { notifier: Notifier; health: NotifyHealthStore };
}

/**
 * What a process's runs are wired over: the app's and `housecat up`'s alike (up has no webhooks
 * and no /metrics; it seals with a key of its own).
 */
export interface RunParts {
  storage: Storage;
  agent: Agent;
  tracker: IssueTracker;
  clock: Clock;
  logger: Logger;
  /** The app's address: incidents and alerts link to it. */
  publicUrl: string;
  /** GitHub Enterprise Server's API URL (alerts link its web pages); unset for github.com. */
  githubApiUrl?: string;
  /** Seals the dashboard's sessions; failure screenshots live beside them. */
  sealer: Sealer;
  /** The alert senders (HOUSECAT_NOTIFY_*). */
  notifier: Notifier;
  maxRunMs?: number;
  secretsFor?: (names: string[]) => Record<string, string>;
  environment?: EnvironmentFacts;
  metrics?: RunNowDeps['metrics'];
  /** Webhook work the drainer carries out (the app's; a process without webhooks leaves none). */
  requests?: DrainDeps['requests'];
  /** The outbox drainer's lease and first retry pause (BotDeps.outboxLeaseMs, outboxFirstRetryMs). */
  outboxLeaseMs?: number;
  outboxFirstRetryMs?: number;
}

/**
 * The run deps every use case shares (a delivery, a `/housecat run`, Run now, the watchdog), with
 * the outbox drainer that carries out their GitHub work and sends their alerts.
 */
export function wireRun(parts: RunParts): {
  run: RunNowDeps;
  outbox: OutboxDrainer;
  dashboardStore: DashboardStore;
} {
  const { storage, tracker, clock, logger, notifier } = parts;
  const store = storage.results;
  // Alerts are outbox items too, in their channels' queues; the same drainer sends them.
  const outbox = createOutboxDrainer({
    store,
    tracker,
    clock,
    logger,
    ...(parts.outboxLeaseMs !== undefined ? { leaseMs: parts.outboxLeaseMs } : {}),
    ...(parts.outboxFirstRetryMs !== undefined ? { firstRetryMs: parts.outboxFirstRetryMs } : {}),
    notify: { notifier, githubWeb: githubWebUrl(parts.githubApiUrl), health: storage.notifyHealth },
    ...(parts.requests ? { requests: parts.requests } : {}),
  });
  // Failure screenshots (`shot:{id}`) and the dashboard's sessions live beside the main store's keys.
  const dashboardStore = storage.dashboard(parts.sealer);
  const run: RunNowDeps = {
    store,
    agent: parts.agent,
    clock,
    logger,
    outbox,
    maxRunMs: parts.maxRunMs ?? DEFAULT_MAX_RUN_MS,
    incident: {
      store,
      tracker,
      clock,
      logger,
      links: { app: parts.publicUrl },
      alerts: alertRouting(storage, notifier, parts.secretsFor),
    },
    ...(parts.secretsFor ? { secretsFor: parts.secretsFor } : {}),
    ...(parts.environment ? { environment: parts.environment } : {}),
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    // A missing key or secret is logged once per test by this process, not on every run.
    configLogged: new Set<string>(),
    shots: dashboardStore,
    // The run page's records, step screenshots and traces (issue 29).
    runs: storage.runs,
  };
  return { run, outbox, dashboardStore };
}

/** Builds every use case's dependencies from the app's deps and its GitHub parts. */
export function wireUseCases(deps: BotDeps, github: GitHubParts, clock: Clock): Wiring {
  const { config, storage } = deps;
  const { tracker } = github;
  // Webhook work waits in the outbox (GitHub never redelivers a webhook): the drainer carries it out
  // with the request deps, built below from the same run deps.
  let requests: RequestDeps | undefined;
  const notifier = deps.notifier ?? createNotifier(deps.channels ?? []);
  const sealer = createSealer(sessionSecretsOf(config));
  const metrics = deps.metricsToken ? metricsOf(deps, github, clock) : null;
  const { run, outbox, dashboardStore } = wireRun({
    storage,
    agent: deps.agent,
    tracker,
    clock,
    logger: github.logger,
    publicUrl: config.publicUrl,
    ...(config.githubApiUrl ? { githubApiUrl: config.githubApiUrl } : {}),
    sealer,
    notifier,
    ...(deps.maxRunMs !== undefined ? { maxRunMs: deps.maxRunMs } : {}),
    ...(deps.secretsFor ? { secretsFor: deps.secretsFor } : {}),
    ...(deps.environment ? { environment: deps.environment } : {}),
    ...(metrics ? { metrics } : {}),
    ...(deps.outboxLeaseMs !== undefined ? { outboxLeaseMs: deps.outboxLeaseMs } : {}),
    ...(deps.outboxFirstRetryMs !== undefined ? { outboxFirstRetryMs: deps.outboxFirstRetryMs } : {}),
    requests: {
      carryOut: (item) => {
        if (!requests) throw new Error('the app is still starting');
        return carryOutRequest(requests, item);
      },
    },
  });
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
    store: storage.results,
    verifier,
    publicUrl,
    callbackUrl: publicUrl,
    schedules: deps.schedules ?? null,
  };
  const alerts = { notifier, health: storage.notifyHealth };
  return { outbox, run, requests, callback, watchdog, slots, metrics, dashboardStore, sealer, alerts };
}

/**
 * What an incident decision checks to route its alerts: which channels this process has, the
 * test's secrets (redacted from the message) and whether the status page is public (linked).
 * Shared by the app and `housecat up`.
 */
export function alertRouting(
  storage: Pick<Storage, 'status'>,
  notifier: Notifier,
  secretsFor?: (names: string[]) => Record<string, string>,
): AlertContext {
  return {
    configured: (name: string) => notifier.has(name),
    ...(secretsFor ? { secretsFor } : {}),
    statusPagePublic: async (repo: string) =>
      (await storage.status.readStatusSettings(repo))?.public ?? false,
  };
}

/**
 * Every channel this app has, healthy until an attempt failed, plus names tests route to that it
 * does not have (recorded by the drainer when it tried them).
 */
export async function channelHealth(notifier: Notifier, health: NotifyHealthStore): Promise<ChannelHealth[]> {
  const recorded = new Map((await health.read()).map((h) => [h.channel, h]));
  for (const c of notifier.channels()) {
    if (!recorded.has(c.name))
      recorded.set(c.name, { channel: c.name, state: 'ok', failures: 0, updatedAt: 0 });
  }
  return [...recorded.values()]
    .map((h) => (notifier.has(h.channel) && h.state === 'unknown' ? { ...h, state: 'ok' as const } : h))
    .sort((a, b) => a.channel.localeCompare(b.channel));
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
