/**
 * Runs one stored test now, for a QStash delivery or a `/housecat run` comment: under the test's lock
 * (never two runs of one test at once), within a deadline that stays below QStash's response limit
 * (the runner's one deadline, see run-tests.ts), then records the result and evaluates the incident.
 */
import { randomUUID } from 'node:crypto';
import { evaluateIncident, type IncidentDeps, type IncidentOutcome } from '../core/incidents/evaluate.js';
import type { MissedFacts } from '../core/incidents/missed.js';
import type { Agent, ClaimSettle, Clock, Logger, Store } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import { checkEnvironment, type EnvironmentFacts } from '../core/run/environment-check.js';
import type { DeliveryTiming } from '../core/scheduling/lateness.js';
import { activeWindow } from '../core/scheduling/maintenance.js';
import type { RunEvent, RunResult, RunSource, TestDefinition } from '../core/types.js';
import { acquireLease, leaseMsFor } from './lease.js';
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
   * is not run: the run is recorded as `error` naming the fix, and logged as an error.
   */
  environment?: EnvironmentFacts;
}

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

/** An incident update holds its lock at most this long (a crashed process frees it by then). */
const INCIDENT_LOCK_MS = 15 * 60_000;

export function lockKey(testId: string): string {
  return `lock:test:${testId}`;
}

export function incidentLockKey(testId: string): string {
  return `lock:incident:${testId}`;
}

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
  const lock = await acquireLease(deps, lockKey(test.id), randomUUID(), leaseMsFor(test));
  if (!lock) return { kind: 'busy', retryAfterMs: deadline };
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
  } finally {
    await lock.release();
  }
  // A skipped run is inconclusive anyway; not evaluating keeps an open incident exactly as it is.
  if (window) return { kind: 'ran', result, incident: { decision: 'none' } };
  const update = updateIncident(deps, test);
  const waitMs = options.incidentWaitMs;
  const outcome =
    waitMs === undefined
      ? await update
      : await Promise.race([update, new Promise<null>((r) => setTimeout(() => r(null), waitMs).unref())]);
  if (outcome === null) return { kind: 'ran', result, incidentPending: true };
  return { kind: 'ran', result, ...outcome };
}

/**
 * Evaluates the incident under `lock:incident:{id}` (one update per test at a time, so two updates
 * can never both decide to create the issue). When another update holds it, this one is skipped:
 * the next run evaluates the newer history anyway.
 */
export async function updateIncident(
  deps: Pick<RunNowDeps, 'store' | 'logger' | 'incident'>,
  test: TestDefinition,
  options: { missed?: MissedFacts } = {},
): Promise<{ incident?: IncidentOutcome; incidentError?: unknown; incidentPending?: boolean }> {
  const owner = randomUUID();
  try {
    if (!(await deps.store.claim(incidentLockKey(test.id), owner, INCIDENT_LOCK_MS))) {
      return { incidentPending: true };
    }
  } catch (incidentError) {
    return { incidentError };
  }
  try {
    return { incident: await evaluateIncident(deps.incident, test, options) };
  } catch (incidentError) {
    deps.logger.error(`incident update for ${test.id} failed: ${(incidentError as Error).message}`);
    return { incidentError };
  } finally {
    await deps.store.release(incidentLockKey(test.id), owner).catch(() => undefined);
  }
}

/** The result of a scheduled run that fell in a maintenance window: `skipped`, nothing run. */
function maintenanceSkip(
  deps: Pick<RunNowDeps, 'clock'>,
  test: TestDefinition,
  source: RunSource,
  until: number,
): { result: RunResult; events: RunEvent[] } {
  const at = deps.clock.now();
  const result: RunResult = {
    runId: randomUUID(),
    testId: test.id,
    status: 'skipped',
    reason: `maintenance: inside a maintenance window until ${new Date(until).toISOString()}`,
    agent: test.agent,
    startedAt: at,
    durationMs: 0,
    steps: [],
    evidence: {},
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    source,
  };
  return { result, events: [] };
}

async function runOnce(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  maxRunMs: number,
): Promise<{ result: RunResult; events: RunEvent[] }> {
  const problems = deps.environment ? checkEnvironment([test], deps.environment).problems : [];
  if (problems.length > 0) {
    const reason = `HouseCat's app cannot run this test here: ${problems.join(' ')}`;
    deps.logger.error(`${test.id}: ${reason}`);
    const at = deps.clock.now();
    const result: RunResult = {
      runId: randomUUID(),
      testId: test.id,
      status: 'error',
      reason,
      agent: test.agent,
      startedAt: at,
      durationMs: 0,
      steps: [],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      source,
    };
    return { result, events: [] };
  }
  let events: RunEvent[] = [];
  const outcome = await runTests(
    { agent: deps.agent, clock: deps.clock, logger: deps.logger },
    {
      tests: [test],
      concurrency: 1,
      source,
      maxRunMs,
      secrets: deps.secretsFor?.(test.secrets) ?? {},
      reporter: {
        testStarted: () => {
          events = [];
        },
        event: (_t, e) => {
          events.push(e);
        },
      },
    },
  );
  const result = outcome.results[0] as RunResult;
  // Never store the screenshot in Redis (it stays in the PR report only).
  const { screenshotBase64: _drop, ...evidence } = result.evidence;
  return { result: { ...result, evidence, source }, events };
}
