/**
 * `housecat up`'s scheduler: QStash's job done in the process. Each scheduled test fires on its cron
 * (the stored cron, `H` resolved), at its second of the minute when H gave it one, as QStash's delay
 * does; each tick is handed to `deliver` (local-delivery.ts → the same
 * use case as a QStash callback). Ticks the process did not see — the laptop slept, the process was
 * stopped — are not replayed: they are reported to `onSkipped` first (which runs the watchdog, so
 * they are recorded as missed exactly as in production), then the latest tick is delivered.
 *
 * Timers are looked at again at least every 30 s (MAX_SLEEP_MS), because a timer does not count
 * the time a machine spends suspended. Tests drive it with `checkNow()` and their own clock.
 */
import type { Clock, Logger } from '../core/ports.js';
import { dueOffsetMs } from '../core/scheduling/cron-ticks.js';
import { dueTick, skippedTicks, upcomingTick, wakeDelay } from '../core/scheduling/local-ticks.js';
import type { TestDefinition } from '../core/types.js';

export interface SkippedTicks {
  test: TestDefinition;
  /** Ticks that passed undelivered. */
  count: number;
  /** The last tick that was delivered (epoch ms). */
  since: number;
}

export interface LocalScheduleDeps {
  clock: Clock;
  logger: Logger;
  /** Test knob (HOUSECAT_UP_TICK_MS): every scheduled test ticks each `everyMs` instead of on its cron. */
  everyMs?: number;
  deliver(test: TestDefinition, tick: number): Promise<unknown>;
  /** Called once per look with every test whose ticks were skipped, before any tick is delivered. */
  onSkipped?(skipped: SkippedTicks[]): Promise<void>;
  /** Set to false to drive the scheduler with checkNow() only (tests). Default true. */
  timers?: boolean;
}

export interface LocalSchedule {
  /** Replaces the scheduled tests (a reload): a test kept with the same cron keeps its last tick. */
  set(tests: readonly TestDefinition[]): void;
  /** The scheduled tests with their next tick, soonest first. */
  upcoming(): { test: TestDefinition; at: number | null }[];
  /** Looks at the clock now: delivers due ticks (resolves once they are handed over, not finished). */
  checkNow(): Promise<void>;
  /** Deliveries handed over and not finished yet. */
  inFlight(): number;
  /** Stops ticking; resolves when the deliveries in flight have finished. */
  stop(): Promise<void>;
}

interface Entry {
  test: TestDefinition;
  cron: string;
  /** How long after each tick of `cron` the test is due: its second of the minute (H), in ms. */
  offsetMs: number;
  /** The last tick delivered (or seen at start, so start-up does not run a tick that already passed). */
  last: number | null;
}

/**
 * Starts the scheduler with no tests (give them with `set`). Its timer looks at the clock at the
 * next tick or within MAX_SLEEP_MS, whichever is first; `checkNow()` looks at once.
 */
export function createLocalSchedule(deps: LocalScheduleDeps): LocalSchedule {
  const entries = new Map<string, Entry>();
  const inflight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let looking: Promise<void> | null = null;

  const arm = () => {
    if (stopped || deps.timers === false) return;
    clearTimeout(timer);
    const now = deps.clock.now();
    const ticks = [...entries.values()].map((e) => upcomingTick(e.cron, now, deps.everyMs, e.offsetMs));
    // A few ms past the tick, so the tick is at or before the clock when we look.
    timer = setTimeout(() => void look(), wakeDelay(ticks, now) + 5);
  };

  const lookOnce = async () => {
    const { skipped, due } = takeDueTicks(entries.values(), deps.clock.now(), deps.everyMs);
    if (skipped.length > 0 && deps.onSkipped) {
      await deps.onSkipped(skipped).catch((error: unknown) => {
        deps.logger.error(`recording missed ticks failed: ${(error as Error).message}`);
      });
    }
    for (const { test, tick } of due) {
      if (stopped) break;
      const delivery = deps
        .deliver(test, tick)
        .catch((error: unknown) => deps.logger.error(`${test.id}: delivery failed: ${String(error)}`))
        .finally(() => inflight.delete(delivery));
      inflight.add(delivery);
    }
  };

  const look = (): Promise<void> => {
    // One look at a time: a timer firing during a checkNow() waits for it.
    looking ??= lookOnce().finally(() => {
      looking = null;
      arm();
    });
    return looking;
  };

  return {
    set(tests) {
      const next = entriesFor(tests, entries, deps.clock.now(), deps.everyMs);
      entries.clear();
      for (const [id, entry] of next) entries.set(id, entry);
      arm();
    },
    upcoming() {
      const now = deps.clock.now();
      return [...entries.values()]
        .map((e) => ({ test: e.test, at: upcomingTick(e.cron, now, deps.everyMs, e.offsetMs) }))
        .sort((a, b) => (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY));
    },
    checkNow: () => look(),
    inFlight: () => inflight.size,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.allSettled([...inflight]);
    },
  };
}

/**
 * The ticks due at `now` (each entry's latest, newer than its last delivered one), and the ticks
 * skipped before them; moves each entry's `last` to the tick taken.
 */
function takeDueTicks(
  entries: Iterable<Entry>,
  now: number,
  everyMs: number | undefined,
): { skipped: SkippedTicks[]; due: { test: TestDefinition; tick: number }[] } {
  const skipped: SkippedTicks[] = [];
  const due: { test: TestDefinition; tick: number }[] = [];
  for (const entry of entries) {
    const tick = dueTick(entry.cron, now, everyMs, entry.offsetMs);
    if (tick === null || (entry.last !== null && tick <= entry.last)) continue;
    if (entry.last !== null) {
      const count = skippedTicks(entry.cron, entry.last, tick, everyMs, entry.offsetMs);
      if (count > 0) skipped.push({ test: entry.test, count, since: entry.last });
    }
    entry.last = tick;
    due.push({ test: entry.test, tick });
  }
  return { skipped, due };
}

/**
 * The entries of the scheduled tests among `tests`: a test kept with the same cron keeps its last
 * tick; a new or changed one starts at the tick already due, so a reload does not run it at once.
 */
function entriesFor(
  tests: readonly TestDefinition[],
  current: ReadonlyMap<string, Entry>,
  now: number,
  everyMs: number | undefined,
): Map<string, Entry> {
  const next = new Map<string, Entry>();
  for (const test of tests) {
    if (!test.schedule) continue;
    const kept = current.get(test.id);
    const offsetMs = dueOffsetMs(test);
    const same = kept && kept.cron === test.schedule && kept.offsetMs === offsetMs;
    const last = same ? kept.last : dueTick(test.schedule, now, everyMs, offsetMs);
    next.set(test.id, { test, cron: test.schedule, offsetMs, last });
  }
  return next;
}
