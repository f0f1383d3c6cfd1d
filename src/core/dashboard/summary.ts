/**
 * A test's figures for the dashboard, computed from its stored results. Uptime counts only runs that
 * say something about the site: `error` (inconclusive) and `skipped` runs are left out, as they are
 * for incidents. Kept pure and separate so the pages can switch to the hourly rollups
 * (`stats:{id}:h`) without changing what they show.
 */
import type { StoredResult } from '../ports.js';
import type { RunStatus } from '../types.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface TestSummary {
  /** Status of the newest run, or `none` before the first one. */
  state: RunStatus | 'none';
  /** Newest last: the statuses of the latest runs (the heartbeat bar). */
  heartbeat: { status: RunStatus; at: number }[];
  /** Share of passed among passed + failed runs, 0..1, or null without such runs. */
  uptime: { d1: number | null; d7: number | null; d30: number | null };
  /** Response time percentiles (ms) over the last 24 h, or null without measurements. */
  p50: number | null;
  p95: number | null;
  /** Reason of the newest run that did not pass, if any. */
  lastReason?: string;
}

/** The `p`-th percentile (0..100) of `values` by nearest rank, or null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function uptimeSince(results: StoredResult[], since: number): number | null {
  let passed = 0;
  let counted = 0;
  for (const r of results) {
    if (r.startedAt < since || (r.status !== 'passed' && r.status !== 'failed')) continue;
    counted++;
    if (r.status === 'passed') passed++;
  }
  return counted === 0 ? null : passed / counted;
}

/** Summarises results given newest first (as the store returns them). */
export function summarize(results: StoredResult[], now: number, heartbeatSize = 30): TestSummary {
  const newest = results[0];
  const day = results.filter((r) => r.startedAt >= now - DAY_MS);
  const times = day.map((r) => r.responseMs ?? r.durationMs).filter((ms) => Number.isFinite(ms));
  const notPassed = results.find((r) => r.status !== 'passed');
  return {
    state: newest?.status ?? 'none',
    heartbeat: results
      .slice(0, heartbeatSize)
      .reverse()
      .map((r) => ({ status: r.status, at: r.startedAt })),
    uptime: {
      d1: uptimeSince(results, now - DAY_MS),
      d7: uptimeSince(results, now - 7 * DAY_MS),
      d30: uptimeSince(results, now - 30 * DAY_MS),
    },
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    ...(notPassed ? { lastReason: notPassed.reason } : {}),
  };
}
