/**
 * Lateness of scheduled runs: which cron tick a delivery belongs to, how late it came, and the
 * p50/p95 over a test's stored results. QStash sends no "scheduled for" time with a delivery (only
 * `Upstash-Message-Id`, `Upstash-Schedule-Id` and `Upstash-Retried`), so the tick is derived from
 * when the message first arrived: the latest tick at or before it. A retry carries the same message
 * id, so it keeps the tick of its first attempt and its lateness counts from there.
 */
import { percentile } from '../percentile.js';
import type { StoredResult } from '../ports.js';
import { previousDue } from './cron-ticks.js';

/**
 * How far ahead of ours QStash's clock may be: a message a little before its due time (by our
 * clock) still belongs to that tick, instead of counting as 5 minutes late from the tick before.
 */
const CLOCK_SKEW_MS = 2_000;

export interface DeliveryTiming {
  /** Epoch ms the run was due: the cron's tick (UTC, minute-aligned) plus the test's second. */
  tick: number;
  /** Milliseconds from the tick to this attempt's arrival. */
  latenessMs: number;
}

/**
 * The tick and lateness of a delivery of a test scheduled by `cron`: `firstArrivedAt` is when its
 * message first arrived (the same as `arrivedAt` on a first attempt). `offsetMs` is how long after
 * each tick the run is due (the test's `scheduleSecond`): the tick recorded is that due time, so a
 * test spread to :27 that arrives at :27.4 is 0.4 s late, not 27.4 s. Null when the cron never fired
 * before (a schedule created moments ago and triggered by hand).
 */
export function deliveryTiming(
  cron: string,
  firstArrivedAt: number,
  arrivedAt: number,
  offsetMs = 0,
): DeliveryTiming | null {
  const tick = previousDue(cron, Math.min(firstArrivedAt, arrivedAt) + CLOCK_SKEW_MS, offsetMs);
  if (tick === null) return null;
  return { tick, latenessMs: Math.max(0, arrivedAt - tick) };
}

export interface LatenessStats {
  /** Scheduled runs with a recorded lateness. */
  runs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** p50/p95/max lateness of the scheduled runs among `results`. */
export function latenessStats(results: readonly StoredResult[]): LatenessStats {
  const values = results
    .map((r) => r.latenessMs)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  return {
    runs: values.length,
    p50Ms: percentile(values, 50) ?? null,
    p95Ms: percentile(values, 95) ?? null,
    maxMs: values.length > 0 ? (values[values.length - 1] ?? null) : null,
  };
}
