/**
 * Hourly rollups of a test's runs, pure: what one hour counts, and how uptime and response-time
 * percentiles come out of a run of hours. How an hour is stored (a packed hash field that a Lua
 * script also writes) is the store's business: adapters/store/rollup-packing.ts.
 *
 * Percentiles come from a histogram, so they are exact only at bucket resolution: a percentile is
 * reported as the upper edge of the bucket that holds the nearest-rank value. The same rule applied
 * to raw results ({@link summarizeResults}) gives exactly the same figure as the rollups
 * ({@link summarizeHours}); the true value lies between the previous edge and the reported one.
 */

import { HOUR_MS } from '../time.js';
import type { RunStatus } from '../types.js';

export { HOUR_MS };

/**
 * Upper edges (inclusive, ms) of the response-time buckets. The last edge is the longest run the
 * schema allows (600 s timeout): longer values are clamped into it, so no bucket is open-ended.
 */
export const RESPONSE_EDGES_MS: readonly number[] = [
  50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000, 600_000,
];

/**
 * Upper edges (inclusive, ms) of the lateness buckets of scheduled runs: from "on time" (QStash
 * usually delivers within a second) to the hour-late runs other monitors see. A delivery retried
 * for longer than a day is clamped into the last bucket.
 */
export const LATENESS_EDGES_MS: readonly number[] = [
  500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 86_400_000,
];

/** Order of the status counts of an hour (the store packs them in this order: adapters/store/rollup-packing.ts). */
export const STATUS_ORDER: readonly RunStatus[] = ['passed', 'failed', 'error', 'skipped'];

/** One hour of one test. */
export interface HourCounts {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  /** Runs per response-time bucket (index into {@link RESPONSE_EDGES_MS}). */
  histogram: number[];
  /** Scheduled runs per lateness bucket (index into {@link LATENESS_EDGES_MS}). */
  lateness: number[];
}

/** Figures over a window of whole hours. */
export interface WindowSummary {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  /** passed / (passed + failed); `null` without a conclusive run. `error` and `skipped` count for neither. */
  uptime: number | null;
  /** Bucket upper edge holding the nearest-rank 50th / 95th percentile, ms; `null` without samples. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Runs that gave a response time. */
  samples: number;
  /** Lateness of scheduled runs: bucket upper edge of the nearest-rank 50th / 95th percentile, ms. */
  latenessP50Ms: number | null;
  latenessP95Ms: number | null;
  /** Scheduled runs that recorded a lateness. */
  latenessSamples: number;
}

/** A run as the rollups need it (a stored result has these fields). */
export interface RollupRun {
  status: RunStatus;
  startedAt: number;
  responseMs?: number;
  durationMs?: number;
  /** Scheduled runs: ms from the cron tick to the delivery's arrival. */
  latenessMs?: number;
}

/** The hour a run belongs to: whole hours since the Unix epoch (the hash field name). */
export function hourOf(epochMs: number): number {
  return Math.floor(epochMs / HOUR_MS);
}

/**
 * Bucket index of a time (a response time unless `edges` says otherwise); negative or huge values
 * are clamped into the first or last bucket.
 */
export function bucketOf(ms: number, edges: readonly number[] = RESPONSE_EDGES_MS): number {
  const value = Math.max(0, Math.round(ms));
  const index = edges.findIndex((edge) => value <= edge);
  return index < 0 ? edges.length - 1 : index;
}

/** The lateness a run contributes: scheduled runs only, whatever their status (a skipped one came late too). */
export function latenessOf(run: RollupRun): number | undefined {
  return typeof run.latenessMs === 'number' && Number.isFinite(run.latenessMs) ? run.latenessMs : undefined;
}

/**
 * The response time a run contributes: the page's measured response time, or the run's duration
 * when the run measured none (the same fallback as the recovery summary).
 */
export function responseOf(run: RollupRun): number | undefined {
  if (run.status !== 'passed' && run.status !== 'failed') return undefined;
  return run.responseMs ?? run.durationMs;
}

export function emptyHour(): HourCounts {
  return {
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    histogram: RESPONSE_EDGES_MS.map(() => 0),
    lateness: LATENESS_EDGES_MS.map(() => 0),
  };
}

/** Adds one run to an hour (mutates and returns it). */
export function addRun(hour: HourCounts, run: RollupRun): HourCounts {
  hour[run.status] += 1;
  const ms = responseOf(run);
  if (ms !== undefined) hour.histogram[bucketOf(ms)] = (hour.histogram[bucketOf(ms)] ?? 0) + 1;
  const late = latenessOf(run);
  if (late !== undefined) {
    const b = bucketOf(late, LATENESS_EDGES_MS);
    hour.lateness[b] = (hour.lateness[b] ?? 0) + 1;
  }
  return hour;
}

/** Nearest-rank percentile of a histogram, as the upper edge of the bucket holding it (of `edges`). */
export function histogramPercentile(
  histogram: readonly number[],
  p: number,
  edges: readonly number[] = RESPONSE_EDGES_MS,
): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.min(Math.max(Math.ceil((p / 100) * total), 1), total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return edges[i] ?? null;
  }
  return null;
}

function summarize(hours: Iterable<HourCounts>): WindowSummary {
  const total = emptyHour();
  for (const hour of hours) {
    for (const status of STATUS_ORDER) total[status] += hour[status];
    hour.histogram.forEach((count, i) => {
      total.histogram[i] = (total.histogram[i] ?? 0) + count;
    });
    hour.lateness.forEach((count, i) => {
      total.lateness[i] = (total.lateness[i] ?? 0) + count;
    });
  }
  const conclusive = total.passed + total.failed;
  return {
    passed: total.passed,
    failed: total.failed,
    error: total.error,
    skipped: total.skipped,
    uptime: conclusive === 0 ? null : total.passed / conclusive,
    p50Ms: histogramPercentile(total.histogram, 50),
    p95Ms: histogramPercentile(total.histogram, 95),
    samples: total.histogram.reduce((a, b) => a + b, 0),
    latenessP50Ms: histogramPercentile(total.lateness, 50, LATENESS_EDGES_MS),
    latenessP95Ms: histogramPercentile(total.lateness, 95, LATENESS_EDGES_MS),
    latenessSamples: total.lateness.reduce((a, b) => a + b, 0),
  };
}

/** Figures over hours `fromHour..toHour` (inclusive) of a test's rollups. */
export function summarizeHours(
  hours: ReadonlyMap<number, HourCounts>,
  fromHour: number,
  toHour: number,
): WindowSummary {
  const picked: HourCounts[] = [];
  for (const [hour, counts] of hours) if (hour >= fromHour && hour <= toHour) picked.push(counts);
  return summarize(picked);
}

/** The rollups of raw runs, hour by hour (what `housecat rollup rebuild` writes). */
export function rollUp(runs: Iterable<RollupRun>): Map<number, HourCounts> {
  const hours = new Map<number, HourCounts>();
  for (const run of runs) {
    const hour = hourOf(run.startedAt);
    let counts = hours.get(hour);
    if (!counts) {
      counts = emptyHour();
      hours.set(hour, counts);
    }
    addRun(counts, run);
  }
  return hours;
}

/**
 * The same figures computed straight from raw runs started in hours `fromHour..toHour`, without
 * a histogram: the nearest-rank value of the sorted response times, then the upper edge of its
 * bucket. Tests compare it with {@link summarizeHours} over the rollups Redis kept.
 */
export function summarizeResults(runs: Iterable<RollupRun>, fromHour: number, toHour: number): WindowSummary {
  const from = fromHour * HOUR_MS;
  const to = (toHour + 1) * HOUR_MS;
  const counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  const times: number[] = [];
  const late: number[] = [];
  for (const run of runs) {
    if (run.startedAt < from || run.startedAt >= to) continue;
    counts[run.status] += 1;
    const ms = responseOf(run);
    if (ms !== undefined) times.push(ms);
    const lateness = latenessOf(run);
    if (lateness !== undefined) late.push(lateness);
  }
  times.sort((a, b) => a - b);
  late.sort((a, b) => a - b);
  const at = (p: number, values: readonly number[] = times, edges = RESPONSE_EDGES_MS): number | null => {
    if (values.length === 0) return null;
    const rank = Math.min(Math.max(Math.ceil((p / 100) * values.length), 1), values.length);
    return edges[bucketOf(values[rank - 1] ?? 0, edges)] ?? null;
  };
  const conclusive = counts.passed + counts.failed;
  return {
    ...counts,
    uptime: conclusive === 0 ? null : counts.passed / conclusive,
    p50Ms: at(50),
    p95Ms: at(95),
    samples: times.length,
    latenessP50Ms: at(50, late, LATENESS_EDGES_MS),
    latenessP95Ms: at(95, late, LATENESS_EDGES_MS),
    latenessSamples: late.length,
  };
}

/** The hour window ending with the hour of `now` and spanning `hours` hours. */
export function windowHours(now: number, hours: number): { fromHour: number; toHour: number } {
  const toHour = hourOf(now);
  return { fromHour: toHour - hours + 1, toHour };
}
