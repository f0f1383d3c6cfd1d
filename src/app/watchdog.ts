/**
 * The watchdog use case, called every 5 minutes by the `housecat-watchdog` QStash schedule: one
 * read of every test (two round trips), one QStash list call, then a `missed` incident for each
 * scheduled test whose runs stopped, through the same incident flow (and lock) as a run's. Tests
 * with an active incident are left alone, so a silent test gets one issue, never a stream of them.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Store } from '../core/ports.js';
import type { LiveSchedule, ScheduleLister, WatchdogStore } from '../core/scheduling/ports.js';
import { overdue, scheduleProblem } from '../core/scheduling/watchdog.js';
import type { IncidentOutcome } from './evaluate-incident.js';
import { type RunNowDeps, updateIncident } from './run-now.js';

export interface WatchdogDeps extends Pick<RunNowDeps, 'logger' | 'incident' | 'outbox'> {
  store: Store & WatchdogStore;
  clock: Clock;
  logger: Logger;
  /** QStash's schedule list; null when no QStash token is configured (the check is then skipped). */
  schedules: ScheduleLister | null;
  /** The app's public base URL: every schedule should call `{callbackUrl}/api/callback/{id}`. */
  callbackUrl: string;
}

export interface WatchdogReport {
  tests: number;
  scheduled: number;
  missed: { testId: string; reason: string; incident?: IncidentOutcome['decision'] | 'pending' | 'error' }[];
  /** Tests whose QStash schedule is missing, paused or wrong, with what to do. */
  scheduleProblems: { testId: string; problem: string }[];
  /** Why the schedules were not checked, when they were not. */
  schedulesUnchecked?: string;
  ms: number;
}

/** A second watchdog call while one runs (a QStash retry) does nothing. */
const WATCHDOG_LOCK_MS = 4 * 60_000;

export async function runWatchdog(deps: WatchdogDeps): Promise<WatchdogReport | { busy: true }> {
  const started = Date.now();
  const owner = randomUUID();
  if (!(await deps.store.claim(deps.store.claimNames.watchdog(), owner, WATCHDOG_LOCK_MS)))
    return { busy: true };
  try {
    const [entries, live] = await Promise.all([deps.store.watchSnapshot(), listLive(deps)]);
    const now = deps.clock.now();
    const report: WatchdogReport = {
      tests: entries.length,
      scheduled: 0,
      missed: [],
      scheduleProblems: [],
      ms: 0,
    };
    if (typeof live === 'string') report.schedulesUnchecked = live;
    for (const entry of entries) {
      const test = entry.test.definition;
      if (!test.schedule) continue;
      report.scheduled += 1;
      const problem = typeof live === 'string' ? null : scheduleProblem(entry.test, live, deps.callbackUrl);
      if (problem) report.scheduleProblems.push({ testId: test.id, problem });
      const late = overdue(entry, now);
      if (!late) continue;
      const reason = problem ? `${late.reason}; ${problem}` : late.reason;
      const active = entry.incident !== null && entry.incident.status !== 'resolved';
      if (active) {
        report.missed.push({ testId: test.id, reason, incident: 'none' });
        continue;
      }
      const outcome = await updateIncident(deps, test, { missed: { lastRunAt: late.since, reason } });
      const decision =
        outcome.incidentError !== undefined
          ? 'error'
          : outcome.incidentPending
            ? 'pending'
            : outcome.incident?.decision;
      report.missed.push({ testId: test.id, reason, ...(decision ? { incident: decision } : {}) });
      deps.logger.warn(`watchdog: ${test.id}: ${reason}`);
    }
    for (const { testId, problem } of report.scheduleProblems)
      deps.logger.warn(`watchdog: ${testId}: ${problem}`);
    // The watchdog is also a drainer of the GitHub outbox: work left by a crash or an outage of GitHub
    // is carried out within 5 minutes even when no delivery comes.
    deps.outbox?.kick();
    report.ms = Date.now() - started;
    return report;
  } finally {
    await deps.store.release(deps.store.claimNames.watchdog(), owner).catch(() => undefined);
  }
}

async function listLive(deps: WatchdogDeps): Promise<ReadonlyMap<string, LiveSchedule> | string> {
  if (!deps.schedules)
    return 'no QSTASH_TOKEN is configured for the app: set it to let the watchdog check schedules';
  try {
    const list = await deps.schedules.listSchedules();
    return new Map(list.map((s) => [s.scheduleId, s]));
  } catch (error) {
    return `listing QStash schedules failed: ${(error as Error).message}`;
  }
}
