/**
 * The one builder of a RunResult before anything is measured: every runner, backend and use case
 * that gives a verdict starts from it (a skipped or refused run, a crashed agent, a recorder's
 * result), so a field added to RunResult gets its empty value in one place.
 */
import type { RunResult, RunUsage, StepRecord } from '../types.js';

/** What a run's result says before its steps, evidence and usage are filled in (`durationMs` default 0). */
export type ResultHead = Pick<RunResult, 'runId' | 'testId' | 'status' | 'reason' | 'agent' | 'startedAt'> & {
  durationMs?: number;
};

/** Usage of a run that called no model. */
export function noUsage(): RunUsage {
  return { llmCalls: 0, inputTokens: 0, outputTokens: 0 };
}

/** A result with no steps, no evidence and no model calls yet (each call gets fresh arrays). */
export function emptyResult(head: ResultHead): RunResult {
  return {
    runId: head.runId,
    testId: head.testId,
    status: head.status,
    reason: head.reason,
    agent: head.agent,
    startedAt: head.startedAt,
    durationMs: head.durationMs ?? 0,
    steps: [],
    evidence: {},
    usage: noUsage(),
  };
}

/**
 * `result` as the continuation of an earlier part of the same run (passing checks, a diverged
 * replay): the run starts when that part did, lasts until the result ends, and its steps come first.
 */
export function continuedFrom(
  earlier: { startedAt: number; steps: StepRecord[] },
  result: RunResult,
): RunResult {
  return {
    ...result,
    startedAt: earlier.startedAt,
    durationMs: Math.max(result.durationMs, result.startedAt + result.durationMs - earlier.startedAt),
    steps: [...earlier.steps, ...result.steps],
  };
}
