/**
 * Runs one stored test now, for a QStash delivery or a `/housecat run` comment: under the test's lock
 * (never two runs of one test at once), within a deadline that stays below QStash's response limit,
 * then records the result and evaluates the incident.
 */
import { randomUUID } from 'node:crypto';
import { evaluateIncident, type IncidentDeps, type IncidentOutcome } from '../core/incidents/evaluate.js';
import type { Agent, Clock, Logger, Store } from '../core/ports.js';
import { runTests } from '../core/run/run-tests.js';
import type { RunEvent, RunResult, RunSource, TestDefinition } from '../core/types.js';

/** QStash waits a limited time for the answer; a run plus recording must end well inside it. */
export const DEFAULT_MAX_RUN_MS = 240_000;
/** The lock outlives the deadline by this much, so it never expires under a run still going. */
const LOCK_MARGIN_MS = 30_000;

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
}

export type RunNowOutcome =
  | { kind: 'busy' }
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

/** The deadline of one run of `test`: its own timeout (per attempt), capped by `maxRunMs`. */
export function runDeadlineMs(test: TestDefinition, maxRunMs: number): number {
  return Math.min((test.timeout * (1 + Math.max(0, test.retries)) + 5) * 1000, maxRunMs);
}

/**
 * Runs `test` now. Throws when the store fails before the result is recorded (the caller answers
 * 5xx so QStash retries). The incident update that follows runs under its own lock and is awaited
 * for at most `incidentWaitMs`: a GitHub held back by rate limits must not hold the answer to QStash
 * past its response limit. A failing update is returned as `incidentError`, the run still counted.
 */
export async function runTestNow(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  options: { incidentWaitMs?: number } = {},
): Promise<RunNowOutcome> {
  const deadline = runDeadlineMs(test, deps.maxRunMs);
  const owner = randomUUID();
  const claimed = await deps.store.claim(lockKey(test.id), owner, deadline + LOCK_MARGIN_MS);
  if (!claimed) return { kind: 'busy' };
  let result: RunResult;
  try {
    const ran = await runWithDeadline(deps, test, source, deadline);
    result = ran.result;
    await deps.store.recordRun(result, ran.events);
  } finally {
    await deps.store.release(lockKey(test.id), owner).catch((error: unknown) => {
      deps.logger.warn(`could not release the lock of ${test.id} (it expires by itself): ${String(error)}`);
    });
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

async function runWithDeadline(
  deps: RunNowDeps,
  test: TestDefinition,
  source: RunSource,
  deadlineMs: number,
): Promise<{ result: RunResult; events: RunEvent[] }> {
  const controller = new AbortController();
  const startedAt = deps.clock.now();
  let events: RunEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overdue = new Promise<RunResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('deadline'));
      resolve({
        runId: randomUUID(),
        testId: test.id,
        status: 'error',
        reason: `the run did not finish within its ${Math.round(deadlineMs / 1000)} s deadline (kept below QStash's response time limit); it counts neither as a pass nor as a failure`,
        agent: test.agent,
        startedAt,
        durationMs: deps.clock.now() - startedAt,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
        source,
      });
    }, deadlineMs);
  });
  const run = runTests(
    { agent: deps.agent, clock: deps.clock, logger: deps.logger },
    {
      tests: [test],
      concurrency: 1,
      source,
      secrets: deps.secretsFor?.(test.secrets) ?? {},
      signal: controller.signal,
      reporter: {
        testStarted: () => {
          events = [];
        },
        event: (_t, e) => {
          events.push(e);
        },
      },
    },
  ).then((outcome) => outcome.results[0] as RunResult);
  try {
    const result = await Promise.race([run, overdue]);
    // Never store the screenshot in Redis (it stays in the PR report only).
    const { screenshotBase64: _drop, ...evidence } = result.evidence;
    return {
      result: { ...result, evidence, source },
      events: result.status === 'error' && controller.signal.aborted ? [] : events,
    };
  } finally {
    clearTimeout(timer);
  }
}
