/**
 * A test's figures for the dashboard, from the same hourly rollups (`stats:{id}:h`) and newest
 * results as the status pages: the dashboard has no uptime engine of its own. The store sums the
 * rollups over the ranges asked here ({@link testPageRanges}), so what the page reads does not grow
 * with history. Uptime counts only runs that say something about the site (`passed` / `failed`).
 */
import type { StoredResult } from '../ports.js';
import type { LatenessStats } from '../scheduling/lateness.js';
import type { RunStatus } from '../types.js';
import {
  HOUR_MS,
  type HourCounts,
  hourOf,
  LATENESS_EDGES_MS,
  summarizeHours,
  type WindowSummary,
} from './rollup.js';
import { WINDOW_HOURS } from './view.js';

export interface TestSummary {
  /** Status of the newest run, or `none` before the first one. */
  state: RunStatus | 'none';
  /** Newest last: the statuses of the latest runs (the heartbeat bar). */
  heartbeat: { status: RunStatus; at: number }[];
  /** Share of passed among passed + failed runs, 0..1, or null without such runs. */
  uptime: { d1: number | null; d7: number | null; d30: number | null };
  /** Response time percentiles (ms, bucket upper edges) over the last 24 h, or null without runs. */
  p50: number | null;
  p95: number | null;
  /** Reason of the newest run that did not pass among the newest results read, if any. */
  lastReason?: string;
}

/** Hours per point of the test page's 7-day response-time chart. */
export const CHART_SLOT_HOURS = 6;
const CHART_SLOTS = WINDOW_HOURS.d7 / CHART_SLOT_HOURS;

/** What the store sums for the test page at `now`: 24 h, 7 d, 30 d, then the chart's slots, oldest first. */
export function testPageRanges(now: number): { fromHour: number; toHour: number }[] {
  const toHour = hourOf(now);
  const last = (hours: number) => ({ fromHour: toHour - hours + 1, toHour });
  const slots = Array.from({ length: CHART_SLOTS }, (_, i) => {
    const fromHour = toHour - WINDOW_HOURS.d7 + 1 + i * CHART_SLOT_HOURS;
    return { fromHour, toHour: fromHour + CHART_SLOT_HOURS - 1 };
  });
  return [last(WINDOW_HOURS.h24), last(WINDOW_HOURS.d7), last(WINDOW_HOURS.d30), ...slots];
}

const totalOf = (sum: HourCounts | undefined): WindowSummary =>
  summarizeHours(new Map(sum ? [[0, sum]] : []), 0, 0);

/** The figures of a test page from its newest results and the sums of {@link testPageRanges}. */
export function testPageFigures(
  recent: readonly StoredResult[],
  sums: readonly HourCounts[],
  now: number,
): { summary: TestSummary; lateness: LatenessStats; chart: { at: number; ms: number }[] } {
  const [day, week, month] = [totalOf(sums[0]), totalOf(sums[1]), totalOf(sums[2])];
  const ranges = testPageRanges(now);
  const chart = sums.slice(3).flatMap((slot, i) => {
    const ms = totalOf(slot).p50Ms;
    return ms === null ? [] : [{ at: (ranges[i + 3]?.fromHour ?? 0) * HOUR_MS, ms }];
  });
  const worst = (sums[2]?.lateness ?? []).reduce((top, n, i) => (n > 0 ? i : top), -1);
  return {
    summary: {
      ...stateOf(recent),
      uptime: { d1: day.uptime, d7: week.uptime, d30: month.uptime },
      p50: day.p50Ms,
      p95: day.p95Ms,
    },
    lateness: {
      runs: month.latenessSamples,
      p50Ms: month.latenessP50Ms,
      p95Ms: month.latenessP95Ms,
      maxMs: worst < 0 ? null : (LATENESS_EDGES_MS[worst] ?? null),
    },
    chart,
  };
}

/** State, heartbeat and last reason from the newest results (newest first). */
export function stateOf(
  recent: readonly StoredResult[],
  heartbeatSize = 30,
): Pick<TestSummary, 'state' | 'heartbeat' | 'lastReason'> {
  const notPassed = recent.find((r) => r.status !== 'passed');
  return {
    state: recent[0]?.status ?? 'none',
    heartbeat: recent
      .slice(0, heartbeatSize)
      .reverse()
      .map((r) => ({ status: r.status, at: r.startedAt })),
    ...(notPassed ? { lastReason: notPassed.reason } : {}),
  };
}
