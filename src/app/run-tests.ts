/**
 * Runs a set of tests once, for every caller (`housecat run`, the Action, a scheduled delivery, a
 * `/housecat run` comment): in parallel over one shared Agent (so one browser), retrying
 * inconclusive runs, against an optional preview base URL, reporting progress as it goes and
 * recording results when a store is configured.
 *
 * The deadline of an attempt is the test's `timeout` (capped by `maxRunMs` over all attempts),
 * counted from the attempt's start. The agent is told it (`timeLimitMs`) and keeps within it; the
 * runner enforces it by aborting the agent's signal {@link DEADLINE_GRACE_MS} later: the agent closes
 * its browser context and returns, and only then does its slot take the next test. An agent is never abandoned, so at most
 * `concurrency` agents are alive at any moment.
 *
 * The run policy of one attempt lives here too (runTestParts): checks before the AI, and the AI
 * gets what the checks left of the deadline. The agent adapters only drive a browser or call an API.
 */
import type { Agent, AgentRunInput, Clock, Logger, Store } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { countsOf } from '../core/report/counts.js';
import { applyBaseUrl } from '../core/run/base-url.js';
import { DEFAULT_CONCURRENCY } from '../core/run/defaults.js';
import type { RunReporter } from '../core/run/reporter.js';
import { continuedFrom, emptyResult } from '../core/run/result.js';
import { createRedactor, type Redactor, redactDeep } from '../core/secrets/redact.js';
import type { AgentKind, RunEvent, RunResult, RunSource, RunStatus, TestDefinition } from '../core/types.js';

export interface RunDeps {
  agent: Agent;
  /** Where results go; `null`/absent: nothing is persisted. */
  store?: Store | null;
  clock?: Clock;
  logger?: Logger;
  newRunId?: () => string;
}

export type { RunReporter };

export interface RunInput {
  /** The tests to run, already selected (see selectTests). */
  tests: TestDefinition[];
  /** Preview origin: replaces scheme, host and port of every test URL. */
  baseUrl?: URL;
  /** Tests in flight at once (default 4). */
  concurrency?: number;
  source: RunSource;
  /** Secret values by name; each test receives only the names it lists. */
  secrets?: Record<string, string>;
  signal?: AbortSignal;
  reporter?: RunReporter;
  /**
   * Tests whose AI part is not run, by test id, with the reason (see checkEnvironment in
   * core/run/environment-check.ts). They are reported `skipped`; their `expect` checks still run.
   */
  skipAi?: ReadonlyMap<string, string>;
  /**
   * Goal tests whose key is missing where that is not a skip (the app), by test id, with the
   * configuration reason (see checkEnvironment): their `expect` checks run, failing checks are
   * `failed` (the incident opens), passing ones `error` with the reason, never `passed`.
   */
  keylessChecks?: ReadonlyMap<string, string>;
  /** Upper bound of one test's run over all its attempts (the bot keeps below QStash's limit). */
  maxRunMs?: number;
  /** `false` runs the agent even where a replay script exists (`housecat run --no-replay`). */
  replay?: boolean;
}

export interface RunOutcome {
  /** One result per test, in the order of `input.tests`. */
  results: RunResult[];
  /** The tests as they ran (base URL applied). */
  tests: TestDefinition[];
  counts: Record<RunStatus, number>;
  durationMs: number;
  /** Problems recording results in the store (the run itself still counts). */
  storeErrors: string[];
}

export { DEFAULT_CONCURRENCY };

/**
 * Time an agent gets past its limit to collect evidence and close its browser context before the
 * runner aborts it. Bounded so `housecat run` ends within `timeout` + 5 s.
 */
export const DEADLINE_GRACE_MS = 3000;

/** What the steps of one call of runTests share. */
interface RunScope {
  deps: RunDeps;
  input: RunInput;
  clock: Clock;
  newRunId: () => string;
  /** Problems recording results in the store (the run itself still counts). */
  storeErrors: string[];
}

/** Runs `input.tests` and returns their results. Never throws for failing tests. */
export async function runTests(deps: RunDeps, input: RunInput): Promise<RunOutcome> {
  const clock = deps.clock ?? systemClock;
  const scope: RunScope = {
    deps,
    input,
    clock,
    newRunId: deps.newRunId ?? (() => globalThis.crypto.randomUUID()),
    storeErrors: [],
  };
  const started = clock.now();
  const concurrency = Math.max(1, Math.floor(input.concurrency ?? DEFAULT_CONCURRENCY));
  const tests = input.baseUrl ? input.tests.map((t) => applyBaseUrl(t, input.baseUrl as URL)) : input.tests;
  const results: RunResult[] = new Array(tests.length);
  input.reporter?.started?.(tests);

  // The shared browser starts before the first test's clock does.
  await deps.agent.prepare?.(tests).catch(() => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tests.length) {
      const index = next++;
      const test = tests[index] as TestDefinition;
      const result = await runOne(scope, test);
      results[index] = result;
      input.reporter?.testFinished?.(test, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tests.length) }, worker));
  const { storeErrors } = scope;
  return { results, tests, counts: countsOf(results), durationMs: clock.now() - started, storeErrors };
}

/** One test: its attempts, the verdict of a test whose AI part could not run, and its record. */
async function runOne(scope: RunScope, test: TestDefinition): Promise<RunResult> {
  const { input, clock, newRunId } = scope;
  const skipReason = input.skipAi?.get(test.id);
  const keylessReason = input.keylessChecks?.get(test.id);
  const isAi = test.agent !== 'checks' && test.goal !== undefined;
  if ((skipReason || keylessReason) && isAi && !test.expect) {
    const at = clock.now();
    const result = {
      ...(skipReason
        ? skippedResult(test, newRunId(), at, `AI goal not run: ${skipReason}`)
        : errorResult(test, newRunId(), at, 0, keylessReason as string)),
      source: input.source,
    };
    await record(scope, result, []);
    return result;
  }
  // The deterministic part of an AI test still runs when the AI part cannot.
  const runnable: TestDefinition =
    (skipReason || keylessReason) && isAi ? { ...test, agent: 'checks', goal: undefined } : test;
  const { result, events } = await runAttempts(scope, test, runnable);
  let final = result;
  if (skipReason && isAi && final.status === 'passed') {
    final = {
      ...final,
      status: 'skipped',
      reason: `checks passed; AI goal not run: ${skipReason}`,
      agent: test.agent,
    };
  } else if (keylessReason && isAi && final.status === 'passed') {
    // Checks alone never make a goal test pass: the goal was not checked.
    final = { ...final, status: 'error', reason: keylessReason, agent: test.agent };
  }
  final = { ...final, source: input.source };
  await record(scope, final, events);
  return final;
}

/** Attempts `runnable` until a conclusive result, the retries or the run's time budget run out. */
async function runAttempts(
  scope: RunScope,
  test: TestDefinition,
  runnable: TestDefinition,
): Promise<{ result: RunResult; events: RunEvent[] }> {
  const { input, clock, newRunId } = scope;
  let result: RunResult | undefined;
  let events: RunEvent[] = [];
  const attempts = 1 + Math.max(0, runnable.retries);
  const budgetEnd = input.maxRunMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + input.maxRunMs;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (input.signal?.aborted) {
      result ??= skippedResult(test, newRunId(), clock.now(), 'not run: the run was cancelled');
      break;
    }
    const limitMs = Math.min(runnable.timeout * 1000, budgetEnd - clock.now());
    // No time left for another attempt: the last result stands.
    if (result && limitMs < 1000) break;
    input.reporter?.testStarted?.(test, attempt);
    events = [];
    result = await attemptOnce(scope, runnable, attempt, Math.max(1, limitMs), (e, runId) => {
      events.push(e);
      input.reporter?.event?.(test, e, runId);
    });
    if (attempts > 1) result.attempt = attempt;
    if (result.status !== 'error') break;
  }
  return { result: result as RunResult, events };
}

/** One attempt within `limitMs`, aborted a grace period later if the agent does not stop itself. */
async function attemptOnce(
  scope: RunScope,
  test: TestDefinition,
  attempt: number,
  limitMs: number,
  onEvent: (e: RunEvent, runId: string) => void,
): Promise<RunResult> {
  const { deps, input, clock } = scope;
  const runId = scope.newRunId();
  const at = clock.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) onAbort();
  else input.signal?.addEventListener('abort', onAbort, { once: true });
  let deadlinePassed = false;
  // The agent keeps within `timeLimitMs` itself (a site that never answers is its failure, with
  // evidence); the abort is the backstop for an agent that does not, a little later.
  const timer = setTimeout(() => {
    deadlinePassed = true;
    controller.abort(new DeadlineError(limitMs));
  }, limitMs + DEADLINE_GRACE_MS);
  try {
    const secrets = pick(input.secrets ?? {}, test.secrets);
    // Every backend redacts what it hands out; this is the one place everything passes through on
    // its way to reports, the store and GitHub, so no backend can be the one that forgot.
    const redact = createRedactor(secrets);
    const reportEvent = (e: RunEvent) => onEvent({ ...e, message: redact(e.message) }, runId);
    // Awaited, never raced: the agent stops on the abort and closes its browser context first.
    const result = await runTestParts(deps.agent, clock, {
      test,
      runId,
      ...(input.baseUrl ? { baseUrl: input.baseUrl.origin } : {}),
      secrets,
      signal: controller.signal,
      timeLimitMs: limitMs,
      onEvent: reportEvent,
      ...(input.replay === false ? { replay: false } : {}),
    }).catch((error: unknown) =>
      errorResult(test, runId, at, clock.now() - at, `the agent crashed: ${messageOf(error)}`),
    );
    // A verdict given after the deadline does not count: the run was stopped.
    if (deadlinePassed) {
      const reason = `the run did not finish within its ${Math.round(limitMs / 1000)} s deadline and was stopped; it counts neither as a pass nor as a failure`;
      return redactResult({ ...result, status: 'error', reason, attempt }, redact);
    }
    return redactResult({ ...result, attempt }, redact);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }
}

/** Records a result when a store is configured; a store problem is noted, never thrown. */
async function record(scope: RunScope, result: RunResult, events: RunEvent[]): Promise<void> {
  const { deps } = scope;
  if (!deps.store) return;
  try {
    await deps.store.recordRun(result, events);
  } catch (error) {
    const message = `could not record the result of ${result.testId}: ${messageOf(error)}`;
    scope.storeErrors.push(message);
    deps.logger?.warn(message);
  }
}

/**
 * The run policy of one attempt: a test without a goal (or `agent: checks`) runs only its checks; a
 * goal test with `expect` runs the checks first, and the AI part only when they pass, with what the
 * checks left of the deadline. The checks' "pass" is then a step of the whole run, not its verdict.
 * An agent without separate checks (a stand-in) runs every part itself.
 */
export async function runTestParts(agent: Agent, clock: Clock, input: AgentRunInput): Promise<RunResult> {
  const { test } = input;
  const checks = agent.checks?.bind(agent);
  // An unknown backend is the agent's to refuse, with its own message.
  if (!checks || !AGENT_KINDS.has(test.agent)) return agent.run(input);
  if (test.agent === 'checks' || !test.goal) return checks(input);
  if (!test.expect) return agent.run(input);

  const checked = await checks({
    ...input,
    onEvent: (event: RunEvent) =>
      input.onEvent?.(
        event.type === 'pass'
          ? { ...event, type: 'step', message: `checks passed: ${event.message}` }
          : event,
      ),
  });
  if (checked.status !== 'passed') {
    const outcome = `not run: the checks ${checked.status === 'failed' ? 'failed' : 'could not run'}`;
    checked.steps.push({ action: `agent:${test.agent}`, outcome, ok: false, at: clock.now() });
    return checked;
  }
  const result = await agent.run({
    ...input,
    timeLimitMs: goalTimeLimitMs(input, checked.startedAt, clock.now()),
  });
  const merged = continuedFrom(checked, result);
  const responseMs = checked.responseMs ?? result.responseMs;
  if (responseMs !== undefined) merged.responseMs = responseMs;
  return merged;
}

/**
 * The deadline split: one deadline for the test (its `timeout`, capped by the attempt's limit), of
 * which the AI part gets what the checks, started at `checksStartedAt`, left (at least 1 ms).
 */
export function goalTimeLimitMs(input: AgentRunInput, checksStartedAt: number, now: number): number {
  const ownMs = input.test.timeout * 1000;
  return Math.max(1, Math.min(ownMs, input.timeLimitMs ?? ownMs) - (now - checksStartedAt));
}

const AGENT_KINDS: ReadonlySet<string> = new Set<AgentKind>(['checks', 'claude', 'tinyfish']);

/**
 * Redacts the text a page can have put into a result: the reason, the steps and the evidence. Ids,
 * statuses and the source come from the definitions, not the page, and stay as they are (a secret
 * such as "housecat" must not rename the test `housecat--demo--login`). The screenshot is binary.
 */
function redactResult(result: RunResult, redact: Redactor): RunResult {
  // Screenshots and the trace are binary (the agent scrubbed the trace's text itself).
  const { screenshotBase64, stepShots, traceBase64, ...evidence } = result.evidence;
  const binary = {
    ...(screenshotBase64 ? { screenshotBase64 } : {}),
    ...(stepShots ? { stepShots: stepShots.map((s) => ({ ...s, label: redact(s.label) })) } : {}),
    ...(traceBase64 ? { traceBase64 } : {}),
  };
  return {
    ...result,
    reason: redact(result.reason),
    steps: redactDeep(result.steps, redact),
    evidence: { ...redactDeep(evidence, redact), ...binary },
  };
}

/** The abort reason of a passed deadline: agents tell it from a cancellation by its name. */
class DeadlineError extends Error {
  override name = 'TimeoutError';
  constructor(ms: number) {
    super(`the run's deadline of ${Math.round(ms / 1000)} s passed`);
  }
}

function pick(values: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (values[name] !== undefined) out[name] = values[name] as string;
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function skippedResult(test: TestDefinition, runId: string, at: number, reason: string): RunResult {
  return emptyResult({ runId, testId: test.id, status: 'skipped', reason, agent: test.agent, startedAt: at });
}

function errorResult(test: TestDefinition, runId: string, at: number, ms: number, reason: string): RunResult {
  return emptyResult({
    runId,
    testId: test.id,
    status: 'error',
    reason,
    agent: test.agent,
    startedAt: at,
    durationMs: ms,
  });
}
