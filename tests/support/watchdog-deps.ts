/**
 * WatchdogDeps for measuring what runWatchdog itself costs: a fixed clock, a silent logger, no
 * QStash, and an issue tracker that throws, because with every test on time no incident may be
 * touched (tests/app/watchdog-commands.test.ts, bench/watchdog.ts).
 */
import type { RedisStore } from '../../src/adapters/store/index.js';
import type { WatchdogDeps } from '../../src/app/watchdog.js';
import type { IssueTracker } from '../../src/core/incidents/tracker.js';

const noTracker = new Proxy({} as IssueTracker, {
  get() {
    throw new Error('every test is on time here: the watchdog may not touch an issue');
  },
});

/** The deps of one watchdog call at `now` on `store`, with nothing outside Redis configured. */
export function onTimeWatchdogDeps(store: RedisStore, now: number): WatchdogDeps {
  const logger = { info() {}, warn() {}, error() {} };
  const clock = { now: () => now };
  return {
    store,
    clock,
    logger,
    schedules: null,
    callbackUrl: 'https://cat.example.com',
    incident: { store, tracker: noTracker, clock, logger },
  };
}
