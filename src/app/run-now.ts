/**
 * Runs one stored test now, for a QStash delivery or a `/housecat run` comment: under the test's lock
 * (never two runs of one test at once), within a deadline that stays below QStash's response limit
 * (the runner's one deadline, see run-tests.ts), then records the result and evaluates the incident.
 */

import { randomUUID } from 'node:crypto';
import type { Shot } from '../core/dashboard/ports.js';
import type { MissedFacts } from '../core/incidents/missed.js';
import type { RunMetrics } from '../core/metrics.js';
import type { Agent, ClaimSettle, Clock, Logger, Store, StoredEvent } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import { checkEnvironment, type EnvironmentFacts } from '../core/run/environment-check.js';
import { emptyResult } from '../core/run/result.js';
import type { RunRecordStore } from '../core/run/run-record.js';
import type { DeliveryTiming } from '../core/scheduling/lateness.js';
import { activeWindow } from '../core/scheduling/maintenance.js';
import type { RunEvent, RunResult, RunSource, TestDefinition } from '../core/types.js';
import { evaluateIncident, type IncidentDeps, type IncidentOutcome } from './evaluate-incident.js';
import { keepRunRecord, type RunBinaries, splitBinaries } from './keep-run-record.js';
import { acquireLease, leaseMsFor } from './lease.js';
import { liveEvents } from './live-events.js';
import type { OutboxDrainer } from './outbox-drainer.js';
import { drainTestOutbox } from './outbox-pass.js';
import { runTests } from './run-tests.js';

export { DEFAULT_MAX_RUN_MS };

export interface RunNowDeps {
  store: Store;
  agent: Agent;
  clock: Clock;
  logger: Logger;
  incident: IncidentDeps;
  /** Upper bound of one delivery's run (all attempts). */
  maxRunMs: number;
  /** Secret values for the names a test lists (read from the environment by the entry point). */
  secretsFor?: (names: string[]) => Record<string, string>;
  /**
   * What this process's environment offers (keys, private network, Chromium). A test it cannot run
   * is not run: the run is recorded as `error` naming the fix, and logged as an error. A goal test
   * whose key is missing still runs its `expect` checks (see runOnce); a secret it names that
   * `secretsFor` cannot give is a configuration error, not retried.
   */
  environment?: EnvironmentFacts;
  /**
   * Configuration reasons this process has logged already, by test: a missing key or secret is
   * logged once per process and test, not on every scheduled run. Unset: logged every time.
   */
  configLogged?: Set<string>;
  /** The process's outbox drainer; without one, the request drains its test's queue itself. */
  outbox?: OutboxDrainer;
  /** Counts recorded runs and busy refusals for /metrics; unset: nothing is counted. */
  metrics?: RunMetrics;
  /** Where the newest failure screenshot goes (`shot:{id}`); unset: screenshots are not kept. */
  shots?: { saveShot(testId: string, shot: Shot): Promise<void> };
  /** Where the run page's records, step screenshots and traces go (issue 29); unset: not kept. */
  runs?: RunRecordStore;
}

/** A failure screenshot larger than this (decoded PNG bytes) is not kept. */
export const MAX_SHOT_BYTES = 300 * 1024;

export type RunNowOutcome =
  /** Another run of the test holds its lock; it ends within `retryAfterMs`. */
  | { kind: 'busy'; retryAfterMs: number }
  | {
      kind: 'ran';
      result: RunResult;
      incident?: IncidentOutcome;
      incidentError?: unknown;
      /** The incident update is still going (or another one is): it finishes on its own. */
      incidentPending?: boolean;
    };

/** The longest one run of `test` may take: its timeout per attempt, capped by `maxRunMs`. */
export function runDeadlineMs(test: TestDefinition, maxRunMs: number): number {
  return Math.min(test.timeout * (1 + Math.max(0, test.retries)) * 1000, maxRunMs);
}

/**
 * Runs `test` now, under its lock: a lease (see lease.ts) renewed while the run lasts, so a crashed
 * or cut-off process blocks the test for one lease at most, never for the whole deadline. Throws
 * when the store fails before the result is recorded (the caller answers 5xx so QStash retries).
 * `settle` is written in the same transaction as the result (the delivery's `done` state). The incident update that follows runs under its own lock and is awaited
 * for at most `incidentWaitMs`: a GitHub held back by rate limits must not hold the answer to QStash
 * past its response limit. A failing update is returned as `incidentError`, the run still counted.
 */
export async function runTestNow(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  options: { incidentWaitMs?: number; settle?: ClaimSettle; timing?: DeliveryTiming } = {},
): Promise<RunNowOutcome> {
  const deadline = runDeadlineMs(test, deps.maxRunMs);
  const lock = await acquireLease(
    deps,
    deps.store.claimNames.runLock(test.id),
    randomUUID(),
    leaseMsFor(test),
  );
  if (!lock) {
    deps.metrics?.busy('test-running');
    return { kind: 'busy', retryAfterMs: deadline };
  }
  let result: RunResult;
  // Only scheduled runs honour maintenance windows: a PR check or a `/housecat run` is someone
  // asking for a run now.
  const window = source.kind === 'schedule' ? activeWindow(test.maintenance, deps.clock.now()) : null;
  try {
    const ran = window
      ? maintenanceSkip(deps, test, source, window.until)
      : await runOnce(deps, test, source, deadline);
    result = options.timing
      ? { ...ran.result, tick: options.timing.tick, latenessMs: options.timing.latenessMs }
      : ran.result;
    await deps.store.recordRun(result, ran.events, options.settle);
    deps.metrics?.runRecorded(result, source.kind);
    if (ran.screenshot) await keepScreenshot(deps, result, ran.screenshot);
    // A separate, best-effort write: the result above is recorded whatever happens to this one.
    await keepRunRecord(deps, test.repo, result, ran.binaries);
  } finally {
    await lock.release();
  }
  // A skipped run is inconclusive anyway; not evaluating keeps an open incident exactly as it is.
  if (window) return { kind: 'ran', result, incident: { decision: 'none' } };
  return await answerAfterIncident(result, updateIncident(deps, test), options.incidentWaitMs);
}

/**
 * The run's answer once its incident update is done, or, past `waitMs`, without it: the update
 * finishes afterwards and the answer says it is pending (QStash's response timeout is not ours).
 */
export async function answerAfterIncident(
  result: RunResult,
  update: ReturnType<typeof updateIncident>,
  waitMs: number | undefined,
): Promise<RunNowOutcome> {
  const outcome =
    waitMs === undefined
      ? await update
      : await Promise.race([update, new Promise<null>((r) => setTimeout(() => r(null), waitMs).unref())]);
  if (outcome === null) return { kind: 'ran', result, incidentPending: true };
  return { kind: 'ran', result, ...outcome };
}

/**
 * Evaluates the incident under the test's incident lock (one decision per test at a time, so two can
 * never both queue the issue), saving the decision with its GitHub work (the outbox), then carries
 * that work out. With `decided`, the decision was saved already (a scheduled run's record script):
 * only the work is carried out. The lock is a lease like the run's: a crash frees it within the test's timeout.
 * When another update holds it, this one is skipped: the next run evaluates the newer history anyway.
 * A store failure is `incidentError` (QStash's retry evaluates again); GitHub work that could not be
 * done yet is `incidentPending`: it is saved, and the drainer finishes it.
 */
export async function updateIncident(
  deps: Pick<RunNowDeps, 'store' | 'logger' | 'incident' | 'outbox'>,
  test: TestDefinition,
  options: { missed?: MissedFacts; decided?: IncidentOutcome } = {},
): Promise<{ incident?: IncidentOutcome; incidentError?: unknown; incidentPending?: boolean }> {
  let incident: IncidentOutcome;
  if (options.decided) incident = options.decided;
  else {
    try {
      const lock = await acquireLease(
        deps,
        deps.store.claimNames.incidentLock(test.id),
        randomUUID(),
        leaseMsFor(test),
      );
      if (!lock) return { incidentPending: true };
      try {
        incident = await evaluateIncident(deps.incident, test, options);
      } finally {
        await lock.release();
      }
    } catch (incidentError) {
      deps.logger.error(`incident update for ${test.id} failed: ${(incidentError as Error).message}`);
      return { incidentError };
    }
  }
  // Alerts wait in their channels' queues, which the process's drainer works through (paced by
  // each platform's rate limit), not this request.
  if (incident.alerts) deps.outbox?.kick();
  // Work this decision queued, or work still waiting from earlier ones: either way, drain it now.
  if (!incident.queued && !incident.waiting) return { incident };
  try {
    const drained = deps.outbox
      ? await deps.outbox.drainTest(test.id)
      : await drainTestOutbox({ ...deps.incident, logger: deps.logger }, test.id);
    if (drained.busy > 0 || drained.retrying > 0 || drained.waiting > 0)
      return { incident, incidentPending: true };
    const saved = await deps.store.getIncident(test.id);
    return { incident: { ...incident, issueNumber: saved?.issueNumber ?? incident.issueNumber } };
  } catch (error) {
    // The work is saved: the next delivery, the start-up sweep or the watchdog carries it out.
    deps.logger.warn(`the GitHub update of ${test.id} is left to the outbox: ${String(error)}`);
    return { incident, incidentPending: true };
  }
}

/**
 * Keeps the screenshot of a failed run as the test's newest one (a best effort: a screenshot that
 * cannot be written does not undo the recorded run).
 */
export async function keepScreenshot(deps: RunNowDeps, result: RunResult, pngBase64: string): Promise<void> {
  if (!deps.shots || result.status !== 'failed') return;
  const bytes = Buffer.byteLength(pngBase64, 'base64');
  if (bytes > MAX_SHOT_BYTES) {
    deps.logger.warn(
      `${result.testId}: failure screenshot not kept (${Math.round(bytes / 1024)} KB, the cap is ${MAX_SHOT_BYTES / 1024} KB)`,
    );
    return;
  }
  try {
    await deps.shots.saveShot(result.testId, { runId: result.runId, at: result.startedAt, pngBase64 });
  } catch (error) {
    deps.logger.warn(`${result.testId}: failure screenshot not kept: ${(error as Error).message}`);
  }
}

/** One run's outcome before it is recorded: the result, its events, and the binaries kept apart. */
export interface Ran {
  result: RunResult;
  events: RunEvent[];
  /** Every event of the run with its stream id, when they were held back (a short scheduled run). */
  all?: StoredEvent[];
  screenshot?: string;
  binaries?: RunBinaries;
}

/** The result of a scheduled run that fell in a maintenance window: `skipped`, nothing run. */
export function maintenanceSkip(
  deps: Pick<RunNowDeps, 'clock'>,
  test: TestDefinition,
  source: RunSource,
  until: number,
): Ran {
  const reason = `maintenance: inside a maintenance window until ${new Date(until).toISOString()}`;
  return { result: notRun(deps, test, source, 'skipped', reason), events: [] };
}

/** The result of a run that did not start: nothing was opened, nothing was measured. */
function notRun(
  deps: Pick<RunNowDeps, 'clock'>,
  test: TestDefinition,
  source: RunSource,
  status: RunResult['status'],
  reason: string,
): RunResult {
  const head = { runId: randomUUID(), testId: test.id, status, reason, agent: test.agent };
  return { ...emptyResult({ ...head, startedAt: deps.clock.now() }), source };
}

/**
 * One run of `test` through the runner. `events` are those not written live (they go in with the
 * result); `all` every event of the run, in order. `liveDelayMs`: see liveEvents.
 */
export async function runOnce(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  maxRunMs: number,
  liveDelayMs = 0,
): Promise<Ran> {
  const plan = deps.environment
    ? checkEnvironment([test], appFacts(deps, deps.environment, test))
    : undefined;
  if (plan && plan.problems.length > 0) {
    const reason = `HouseCat's app cannot run this test here: ${plan.problems.join(' ')}`;
    logConfigOnce(deps, test.id, reason);
    return { result: notRun(deps, test, source, 'error', reason), events: [] };
  }
  const keylessReason = plan?.keylessChecks.get(test.id);
  if (keylessReason) logConfigOnce(deps, test.id, keylessReason);
  // Events go to `events:{id}` as they happen (the dashboard's live view); only those that could
  // not be written then go in with the result.
  const live = liveEvents(deps, test.id, { delayMs: liveDelayMs });
  const all: StoredEvent[] = [];
  const outcome = await runTests(
    { agent: deps.agent, clock: deps.clock, logger: deps.logger },
    {
      tests: [test],
      concurrency: 1,
      source,
      maxRunMs,
      secrets: deps.secretsFor?.(test.secrets) ?? {},
      ...(plan ? { keylessChecks: plan.keylessChecks } : {}),
      reporter: {
        event: (_t, e, runId) => {
          all.push({ ...e, runId: runId ?? '', streamId: '' });
          live.push(runId ?? '', e);
        },
      },
    },
  );
  const events = await live.finish();
  const result = outcome.results[0] as RunResult;
  // Binaries never go into the result: a failure's screenshot is kept apart (keepScreenshot), the
  // step screenshots and the trace with the run's record (keepRunRecord).
  const { screenshotBase64, ...rest } = result.evidence;
  const { evidence, binaries } = splitBinaries(rest);
  return {
    result: { ...result, evidence, source },
    events,
    all,
    binaries,
    ...(screenshotBase64 ? { screenshot: screenshotBase64 } : {}),
  };
}

/**
 * The app's view of its environment for one test: a missing key never blinds the monitor (the
 * `expect` checks still run), and the test's secrets are checked against what `secretsFor` gives.
 */
function appFacts(deps: RunNowDeps, facts: EnvironmentFacts, test: TestDefinition): EnvironmentFacts {
  const given = deps.secretsFor ? Object.keys(deps.secretsFor(test.secrets)) : undefined;
  return {
    ...facts,
    checksWithoutKey: true,
    ...(given ? { secretsSet: new Set(given) } : {}),
  };
}

/** Logs a configuration reason once per process and test (see RunNowDeps.configLogged). */
function logConfigOnce(
  deps: Pick<RunNowDeps, 'logger' | 'configLogged'>,
  testId: string,
  reason: string,
): void {
  const key = `${testId}\n${reason}`;
  if (deps.configLogged?.has(key)) return;
  deps.configLogged?.add(key);
  deps.logger.error(`${testId}: ${reason}`);
}
