/**
 * The numbers of the recovery summary: downtime, failed runs, reasons, response times before and
 * during the incident, uptime over 24 h, 7 d and 30 d. Pure: computed from stored results and timings.
 */
import { percentile } from '../percentile.js';
import type { StoredResult, StoredTiming } from '../ports.js';
import { DAY_MS as DAY } from '../time.js';
import type { Incident } from '../types.js';
import { sameReason } from './state.js';

export interface Percentiles {
  p50?: number;
  p95?: number;
  samples: number;
  /** `response`: the page's measured response time; `duration`: whole-run durations (nothing else measured). */
  measure?: 'response' | 'duration';
}

export interface RecoverySummary {
  testId: string;
  downtimeMs: number;
  failedRuns: number;
  firstFailureAt: number;
  lastFailureAt: number;
  recoveredAt: number;
  /** Distinct failure reasons (numbers ignored when comparing), most frequent first. */
  reasons: { reason: string; count: number }[];
  /** Response times in the 24 h before the incident, and during it. */
  before: Percentiles;
  during: Percentiles;
  /** Share of conclusive runs that passed (0..1), or undefined without conclusive runs in the window. */
  uptime: { h24?: number; d7?: number; d30?: number };
}

function percentiles(values: number[]): Percentiles {
  return { p50: percentile(values, 50), p95: percentile(values, 95), samples: values.length };
}

/**
 * Response times in `[from, to)`: the measured response time of the page when the runs have one,
 * otherwise the run durations from `timing:{id}`.
 */
function responseTimes(
  results: readonly StoredResult[],
  timings: readonly StoredTiming[],
  from: number,
  to: number,
): Percentiles & { measure: 'response' | 'duration' } {
  const inWindow = (at: number) => at >= from && at < to;
  const measured = results
    .filter((r) => inWindow(r.startedAt) && typeof r.responseMs === 'number')
    .map((r) => r.responseMs as number);
  if (measured.length > 0) return { ...percentiles(measured), measure: 'response' };
  return { ...percentiles(timings.filter((t) => inWindow(t.at)).map((t) => t.ms)), measure: 'duration' };
}

/** Share of passes among conclusive runs started in `[from, to]`. */
export function uptime(results: readonly StoredResult[], from: number, to: number): number | undefined {
  let passed = 0;
  let total = 0;
  for (const r of results) {
    if (r.startedAt < from || r.startedAt > to) continue;
    if (r.status === 'passed') passed++;
    if (r.status === 'passed' || r.status === 'failed') total++;
  }
  return total === 0 ? undefined : passed / total;
}

/**
 * @param results the test's results of (at least) the last 30 days, any order.
 * @param timings the test's timings from 24 h before the incident until now, any order.
 */
export function computeRecoverySummary(input: {
  incident: Incident;
  recoveredAt: number;
  now: number;
  results: readonly StoredResult[];
  timings: readonly StoredTiming[];
}): RecoverySummary {
  const { incident, recoveredAt, now, results, timings } = input;
  const failures = results.filter(
    (r) => r.status === 'failed' && r.startedAt >= incident.since && r.startedAt < recoveredAt,
  );
  const reasons: { reason: string; count: number }[] = [];
  for (const f of [...failures].sort((a, b) => a.startedAt - b.startedAt)) {
    const seen = reasons.find((x) => sameReason(x.reason, f.reason));
    if (seen) seen.count++;
    else reasons.push({ reason: f.reason, count: 1 });
  }
  reasons.sort((a, b) => b.count - a.count);
  const lastFailureAt = failures.reduce((m, f) => Math.max(m, f.startedAt), incident.lastFailureAt);
  return {
    testId: incident.testId,
    downtimeMs: Math.max(0, recoveredAt - incident.since),
    failedRuns: Math.max(failures.length, incident.failedRuns),
    firstFailureAt: incident.since,
    lastFailureAt,
    recoveredAt,
    reasons,
    before: responseTimes(results, timings, incident.since - DAY, incident.since),
    during: responseTimes(results, timings, incident.since, recoveredAt),
    uptime: {
      h24: uptime(results, now - DAY, now),
      d7: uptime(results, now - 7 * DAY, now),
      d30: uptime(results, now - 30 * DAY, now),
    },
  };
}
