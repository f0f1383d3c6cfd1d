/**
 * The tick rules of `housecat up`'s in-process scheduler, pure: which tick of a test is due, which
 * ticks were skipped (the machine slept, or the process was stopped), and when to wake next. A cron
 * is the test's stored one, `H` already resolved for its id (core/scheduling/hashed-cron.ts), so it
 * fires at the same minute as its QStash schedule would, and `offsetMs` (the test's second of the
 * minute, `dueOffsetMs`) at the same second: a tick here is the time the run is due.
 *
 * `everyMs` is a test knob (HOUSECAT_UP_TICK_MS): every scheduled test then ticks each `everyMs`
 * instead of on its cron, so an end-to-end test sees many runs in seconds.
 */
import { nextDue, previousDue } from './cron-ticks.js';

/** The longest the scheduler sleeps: a wall-clock jump (suspend, NTP) is seen within this. */
export const MAX_SLEEP_MS = 30_000;
/** Skipped ticks counted one by one up to this; beyond, "at least" this many. */
const COUNT_CAP = 1000;

/** The latest tick at or before `now`, or null when the cron never fired. */
export function dueTick(cron: string, now: number, everyMs?: number, offsetMs = 0): number | null {
  if (everyMs) return Math.floor(now / everyMs) * everyMs;
  return previousDue(cron, now, offsetMs);
}

/** The next tick after `now`, or null. */
export function upcomingTick(cron: string, now: number, everyMs?: number, offsetMs = 0): number | null {
  if (everyMs) return (Math.floor(now / everyMs) + 1) * everyMs;
  return nextDue(cron, now, offsetMs);
}

/** Ticks strictly between `after` and `before` (capped at COUNT_CAP): the ones nobody delivered. */
export function skippedTicks(
  cron: string,
  after: number,
  before: number,
  everyMs?: number,
  offsetMs = 0,
): number {
  if (everyMs) return Math.max(0, Math.min(COUNT_CAP, Math.floor((before - after) / everyMs) - 1));
  let count = 0;
  let at = after;
  while (count < COUNT_CAP) {
    const next = nextDue(cron, at, offsetMs);
    if (next === null || next >= before) break;
    count += 1;
    at = next;
  }
  return count;
}

/** Milliseconds until the scheduler should look again: the earliest next tick, at most MAX_SLEEP_MS. */
export function wakeDelay(nextTicks: readonly (number | null)[], now: number): number {
  let earliest = now + MAX_SLEEP_MS;
  for (const tick of nextTicks) if (tick !== null && tick < earliest) earliest = tick;
  return Math.max(0, earliest - now);
}
