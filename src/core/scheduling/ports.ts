/**
 * The narrow interfaces the watchdog needs beyond the Store: one read of every test's state, and
 * QStash's list of schedules. Kept beside the scheduling rules rather than in core/ports.ts, so the
 * Store every other use case depends on stays as it is.
 */
import type { StoredResult, StoredTest } from '../ports.js';
import type { Incident } from '../types.js';

/** One test as the watchdog sees it. */
export interface WatchEntry {
  test: StoredTest;
  /** The newest scheduled run (a PR or CLI run proves nothing about the schedule), or null. */
  lastRun: StoredResult | null;
  incident: Incident | null;
}

export interface WatchdogStore {
  /** Every test with its newest scheduled run and its incident: one read of the set, one pipeline. */
  watchSnapshot(): Promise<WatchEntry[]>;
}

/** A QStash schedule as QStash lists it. */
export interface LiveSchedule {
  scheduleId: string;
  destination: string;
  cron: string;
  isPaused?: boolean;
}

export interface ScheduleLister {
  /** Every schedule of the QStash account, in one call. */
  listSchedules(): Promise<LiveSchedule[]>;
}
