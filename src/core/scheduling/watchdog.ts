/**
 * The watchdog's rules, pure: when a scheduled test counts as missed, and what is wrong with its
 * QStash schedule. A test is missed when two of its own ticks have passed since its last run (or,
 * if it never ran, since the sync that created it), the second one more than a grace period ago:
 * "older than two intervals plus grace", computed from its cron, so `0 9 * * MON-FRI` is not missed
 * over a weekend.
 */
import type { StoredTest } from '../ports.js';
import { callbackDestination, scheduleIdFor } from '../sync/plan.js';
import { formatTime } from '../time.js';
import { describeInterval, dueOffsetMs, intervalAt, previousDue } from './cron-ticks.js';
import type { LiveSchedule, WatchEntry } from './ports.js';

/** The one QStash schedule that calls the watchdog. */
export const WATCHDOG_SCHEDULE_ID = 'housecat-watchdog';
/** Minutes between watchdog calls unless `watchdog-minutes` / HOUSECAT_WATCHDOG_MINUTES says otherwise. */
export const DEFAULT_WATCHDOG_MINUTES = 5;
/**
 * The cadences a watchdog may have: the divisors of 60, so `*\/N` ticks evenly through every hour
 * (with 7, the :56 call would be followed by :00). 60 is once an hour, at :00.
 */
export const WATCHDOG_MINUTES_CHOICES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;
export const WATCHDOG_CRON = watchdogCron(DEFAULT_WATCHDOG_MINUTES);
export const WATCHDOG_PATH = '/api/watchdog';
/**
 * Base grace: five minutes, so a run that is due right now is not called missed. It does not grow
 * with the watchdog's cadence: a slower watchdog only looks less often.
 */
export const WATCHDOG_GRACE_MS = 5 * 60_000;

/** The watchdog schedule's cron for a cadence of `minutes` (one of WATCHDOG_MINUTES_CHOICES). */
export function watchdogCron(minutes: number): string {
  return minutes >= 60 ? '0 * * * *' : `*/${minutes} * * * *`;
}

/** QStash messages the watchdog uses a day at this cadence (each call is one message, before retries). */
export function watchdogMessagesPerDay(minutes: number): number {
  return Math.round(1440 / minutes);
}

/** Why `minutes` cannot be the watchdog's cadence, or null. */
export function watchdogMinutesProblem(minutes: number): string | null {
  if ((WATCHDOG_MINUTES_CHOICES as readonly number[]).includes(minutes)) return null;
  const choices = WATCHDOG_MINUTES_CHOICES.map((m) => `${m} (${watchdogMessagesPerDay(m)} messages a day)`);
  return `use one of ${choices.join(', ')}: a divisor of 60, so the calls are evenly spaced`;
}

/** Where the watchdog schedule POSTs. */
export function watchdogDestination(callbackUrl: string): string {
  return `${callbackUrl.replace(/\/+$/, '')}${WATCHDOG_PATH}`;
}

/** Grace for one test: the watchdog period plus the longest its run may take (all attempts). */
export function graceFor(test: StoredTest['definition']): number {
  return WATCHDOG_GRACE_MS + test.timeout * 1000 * (1 + Math.max(0, test.retries));
}

export interface Overdue {
  /** Epoch ms of the last run, or of the sync when it never ran. */
  since: number;
  intervalMs: number;
  /** "no runs since 2026-03-02 10:15 UTC; expected every 15 min" */
  reason: string;
}

/** Null when the test is on time (or has no schedule). */
export function overdue(entry: WatchEntry, now: number): Overdue | null {
  const test = entry.test.definition;
  if (!test.schedule) return null;
  const since = entry.lastRun?.startedAt ?? entry.test.updatedAt;
  const offset = dueOffsetMs(test);
  const latest = previousDue(test.schedule, now - graceFor(test), offset);
  if (latest === null) return null;
  const before = previousDue(test.schedule, latest - 1, offset);
  if (before === null || before <= since) return null;
  const intervalMs = intervalAt(test.schedule, now) ?? latest - before;
  const what = entry.lastRun
    ? `no runs since ${formatTime(since)}`
    : `no runs since it was synced at ${formatTime(since)}`;
  return { since, intervalMs, reason: `${what}; expected every ${describeInterval(intervalMs)}` };
}

/**
 * What is wrong with the test's QStash schedule, or null: missing, paused, calling another URL, or
 * on another cron than the definition.
 */
export function scheduleProblem(
  stored: StoredTest,
  live: ReadonlyMap<string, LiveSchedule>,
  callbackUrl: string,
): string | null {
  const test = stored.definition;
  if (!test.schedule) return null;
  const id = stored.scheduleId ?? scheduleIdFor(test.id);
  const schedule = live.get(id);
  const fix = 'run `housecat sync` (or the Action in sync mode) to restore it';
  if (!schedule) return `its QStash schedule ${id} does not exist: ${fix}`;
  if (schedule.isPaused) return `its QStash schedule ${id} is paused: resume it in the Upstash console`;
  const expected = callbackDestination(callbackUrl, test.id);
  if (schedule.destination !== expected) {
    return `its QStash schedule ${id} calls ${schedule.destination} instead of ${expected}: ${fix} with --callback-url set to this app's URL`;
  }
  if (schedule.cron.trim().replace(/\s+/g, ' ') !== test.schedule) {
    return `its QStash schedule ${id} fires on "${schedule.cron}" but the definition says "${test.schedule}": ${fix}`;
  }
  return null;
}
