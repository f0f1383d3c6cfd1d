/**
 * Runs one stored test now, for a QStash delivery or a `/housecat run` comment: under the test's lock
 * (never two runs of one test at once), within a deadline that stays below QStash's response limit
 * (the runner's one deadline, see run-tests.ts), then records the result and evaluates the incident.
 */
import { randomUUID } from 'node:crypto';
import type { Shot } from '../core/dashboard/ports.js';
import { evaluateIncident, type IncidentDeps, type IncidentOutcome } from '../core/incidents/evaluate.js';
import type { Agent, ClaimSettle, Clock, Logger, Store } from '../core/ports.js';
import { DEFAULT_MAX_RUN_MS } from '../core/run/defaults.js';
import { checkEnvironment, type EnvironmentFacts } from '../core/run/environment-check.js';
import type { RunEvent, RunResult, RunSource, TestDefinition } from '../core/types.js';
import { acquireLease, leaseMsFor } from './lease.js';
import { liveEvents } from './live-events.js';
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
  /** Where the newest failure screenshot goes (`shot:{id}`); unset: screenshots are not kept. */
  shots?: { saveShot(testId: string, shot: Shot): Promise<void> };
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
  options: { incidentWaitMs?: number; settle?: ClaimSettle } = {},
): Promise<RunNowOutcome> {
  const deadline = runDeadlineMs(test, deps.maxRunMs);
  const lock = await acquireLease(deps, lockKey(test.id), randomUUID(), leaseMsFor(test));
  if (!lock) return { kind: 'busy', retryAfterMs: deadline };
  let result: RunResult;
  try {
    const ran = await runOnce(deps, test, source, deadline);
    result = ran.result;
    await deps.store.recordRun(result, ran.events, options.settle);
    if (ran.screenshot) await keepScreenshot(deps, result, ran.screenshot);
  } finally {
    await lock.release();
  }
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
    return { incident: await evaluateIncident(deps.incident, test) };
  } catch (incidentError) {
    deps.logger.error(`incident update for ${test.id} failed: ${(incidentError as Error).message}`);
    return { incidentError };
  } finally {
    await deps.store.release(incidentLockKey(test.id), owner).catch(() => undefined);
  }
}

/**
 * Keeps the screenshot of a failed run as the test's newest one (a best effort: a screenshot that
 * cannot be written does not undo the recorded run).
 */
async function keepScreenshot(deps: RunNowDeps, result: RunResult, pngBase64: string): Promise<void> {
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

async function runOnce(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  maxRunMs: number,
): Promise<{ result: RunResult; events: RunEvent[]; screenshot?: string }> {
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
  // Events go to `events:{id}` as they happen (the dashboard's live view); only those that could
  // not be written then go in with the result.
  const live = liveEvents(deps, test.id);
  const outcome = await runTests(
    { agent: deps.agent, clock: deps.clock, logger: deps.logger },
    {
      tests: [test],
      concurrency: 1,
      source,
      maxRunMs,
      secrets: deps.secretsFor?.(test.secrets) ?? {},
      reporter: {
        event: (_t, e, runId) => live.push(runId ?? '', e),
      },
    },
  );
  const events = await live.finish();
  const result = outcome.results[0] as RunResult;
  // The screenshot never goes into the result: only a failure's is kept, apart (keepScreenshot).
  const { screenshotBase64, ...evidence } = result.evidence;
  return {
    result: { ...result, evidence, source },
    events,
    ...(screenshotBase64 ? { screenshot: screenshotBase64 } : {}),
  };
}
