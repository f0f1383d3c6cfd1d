/**
 * HouseCat's metrics in Prometheus' text format, through prom-client, on a registry of its own (not
 * the library's global one, so two apps in one process, as in tests, never share counters). Runs are
 * counted when their result is recorded; the outbox gauge reads Redis cheaply (one pipeline) at
 * scrape time, because its depth changes in other processes too.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunMetrics } from '../../core/metrics.js';
import type { RunResult } from '../../core/types.js';

export interface PrometheusMetrics extends RunMetrics {
  /** The exposition text of every metric. */
  text(): Promise<string>;
  /** The Content-Type of `text()`. */
  readonly contentType: string;
}

export interface MetricSources {
  /** The outbox's size, read at scrape time; unset or failing: the gauges are left out. */
  outbox?: () => Promise<{ tests: number; earliestDueAt: number | null }>;
  now?: () => number;
  /** Tests with an active incident, read at scrape time (every replica's incidents). */
  activeIncidents?: () => Promise<number>;
  /** Redis round trips that failed so far (the store's transport counts them). */
  redisFailures?: () => number;
  /** Browser contexts open now (BrowserPool.openContexts): one per run in progress. */
  browserContexts?: () => number;
  /** GitHub's rate budget as its last answer per resource stated it (rate-budget.ts). */
  githubRateBudget?: () => Map<string, { limit: number; remaining: number }>;
}

/** Lateness of scheduled runs spans seconds to minutes (QStash's own delay, retries, busy answers). */
const LATENESS_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];
/** A run takes from a second (checks) to its timeout (goal tests, up to 240 s). */
const DURATION_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 240];

/** Builds the metrics and their registry. */
export function createPrometheusMetrics(sources: MetricSources = {}): PrometheusMetrics {
  const registry = new Registry();
  const recorded = runMetrics(registry);
  scrapeTimeMetrics(registry, sources);
  return { contentType: registry.contentType, text: () => registry.metrics(), ...recorded };
}

/** The metrics counted as runs are recorded and refused: runs, durations, lateness, model use, busy answers. */
function runMetrics(registry: Registry): RunMetrics {
  const runs = new Counter({
    name: 'housecat_runs_total',
    help: 'Runs whose result was recorded, by status and by what asked for them (mode).',
    labelNames: ['status', 'mode'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'housecat_run_duration_seconds',
    help: 'How long recorded runs took.',
    labelNames: ['mode'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'housecat_run_lateness_seconds',
    help: 'How late scheduled runs started after their cron tick.',
    buckets: LATENESS_BUCKETS,
    registers: [registry],
  });
  const modelCalls = new Counter({
    name: 'housecat_model_calls_total',
    help: 'Calls to the model made by recorded runs.',
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'housecat_model_tokens_total',
    help: 'Model tokens used by recorded runs, by kind (input, output).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const busy = new Counter({
    name: 'housecat_busy_answers_total',
    help: 'Runs refused as busy (the caller retries): the test was already running, or every run slot was taken.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    runRecorded(result: RunResult, mode: string) {
      runs.inc({ status: result.status, mode });
      duration.observe({ mode }, result.durationMs / 1000);
      if (result.latenessMs !== undefined) lateness.observe(result.latenessMs / 1000);
      modelCalls.inc(result.usage.llmCalls);
      tokens.inc({ kind: 'input' }, result.usage.inputTokens);
      tokens.inc({ kind: 'output' }, result.usage.outputTokens);
    },
    busy(reason) {
      busy.inc({ reason });
    },
  };
}

/** The metrics read from their source at scrape time, each only when its source is given. */
function scrapeTimeMetrics(registry: Registry, sources: MetricSources): void {
  if (sources.outbox) outboxGauges(registry, sources.outbox, sources.now ?? Date.now);
  const incidents = sources.activeIncidents;
  if (incidents) {
    new Gauge({
      name: 'housecat_incidents_active',
      help: 'Tests with an open or acknowledged incident (all replicas, read from Redis).',
      registers: [registry],
      async collect() {
        const n = await incidents().catch(() => null);
        if (n !== null) this.set(n);
      },
    });
  }
  const redisFailures = sources.redisFailures;
  if (redisFailures) {
    let counted = 0;
    new Counter({
      name: 'housecat_redis_errors_total',
      help: 'Redis round trips that failed (unreachable, timed out, refused).',
      registers: [registry],
      collect() {
        const total = redisFailures();
        if (total > counted) this.inc(total - counted);
        counted = total;
      },
    });
  }
  const contexts = sources.browserContexts;
  if (contexts) {
    new Gauge({
      name: 'housecat_chromium_contexts_open',
      help: 'Chromium contexts open now (one per run in progress).',
      registers: [registry],
      collect() {
        this.set(contexts());
      },
    });
  }
  if (sources.githubRateBudget) rateBudgetGauges(registry, sources.githubRateBudget);
}

function outboxGauges(registry: Registry, read: NonNullable<MetricSources['outbox']>, now: () => number) {
  // Both gauges are set by one read per scrape: the first gauge's collect reads, the second reuses it.
  let last: Promise<{ tests: number; earliestDueAt: number | null } | null> = Promise.resolve(null);
  new Gauge({
    name: 'housecat_outbox_tests_pending',
    help: 'Tests with GitHub work (issues to open, comment on, close) waiting in the outbox.',
    registers: [registry],
    async collect() {
      last = read().catch(() => null);
      const stats = await last;
      if (stats) this.set(stats.tests);
    },
  });
  new Gauge({
    name: 'housecat_outbox_oldest_overdue_seconds',
    help: 'How long the most overdue outbox work has been due (0 when nothing is overdue).',
    registers: [registry],
    async collect() {
      const stats = await last;
      if (stats)
        this.set(stats.earliestDueAt === null ? 0 : Math.max(0, (now() - stats.earliestDueAt) / 1000));
    },
  });
}

function rateBudgetGauges(registry: Registry, read: NonNullable<MetricSources['githubRateBudget']>) {
  new Gauge({
    name: 'housecat_github_rate_remaining',
    help: "GitHub requests left in the app's rate budget, as GitHub's last answer stated (x-ratelimit-remaining), by resource.",
    labelNames: ['resource'] as const,
    registers: [registry],
    collect() {
      for (const [resource, b] of read()) this.set({ resource }, b.remaining);
    },
  });
  new Gauge({
    name: 'housecat_github_rate_limit',
    help: "The app's GitHub rate budget per hour, as GitHub's last answer stated (x-ratelimit-limit), by resource.",
    labelNames: ['resource'] as const,
    registers: [registry],
    collect() {
      for (const [resource, b] of read()) this.set({ resource }, b.limit);
    },
  });
}
