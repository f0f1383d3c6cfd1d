/**
 * Collects the steps of one run, reports each as an event as it happens, and builds the RunResult.
 * Shared by every backend (checks, claude, TinyFish) and the dispatcher so they all report alike.
 */
import type { AgentRunInput, Clock } from '../../core/ports.js';
import { describeStep } from '../../core/report/format.js';
import { emptyResult } from '../../core/run/result.js';
import type { AgentKind, RunEvidence, RunResult, RunStatus, RunUsage, StepRecord } from '../../core/types.js';

export interface Recorder {
  readonly steps: StepRecord[];
  readonly startedAt: number;
  /**
   * Records a step and emits it as a `step` event. `startedAt` (epoch ms) gives the step's duration;
   * `ms` gives it as measured (a navigation's response time, without the load that followed).
   */
  step(
    action: string,
    outcome: string,
    ok: boolean,
    extra?: { target?: string; startedAt?: number; ms?: number },
  ): StepRecord;
  /** Builds the result and emits the final `pass`/`fail`/`error` event (none for `skipped`). */
  finish(
    status: RunStatus,
    reason: string,
    extra?: { evidence?: RunEvidence; responseMs?: number; usage?: RunUsage; agent?: AgentKind },
  ): RunResult;
}

const FINAL_EVENT = { passed: 'pass', failed: 'fail', error: 'error' } as const;

export interface RecorderOptions {
  /** Told when the progress listener throws (the run goes on regardless). */
  onListenerError?: (error: unknown) => void;
}

/** Starts the record of one run of `agent`, its clock starting now. */
export function createRecorder(
  input: AgentRunInput,
  agent: AgentKind,
  clock: Clock,
  options: RecorderOptions = {},
): Recorder {
  const emit = (type: 'step' | 'pass' | 'fail' | 'error', message: string, at: number): void => {
    try {
      input.onEvent?.({ type, message, at });
    } catch (error) {
      // A faulty progress listener must not change the verdict.
      options.onListenerError?.(error);
    }
  };
  const steps: StepRecord[] = [];
  const startedAt = clock.now();
  // After the verdict, late reports (a blocked request of a closing page, a cancelled run's
  // leftovers) are dropped: a run has exactly one final event.
  let finished = false;
  return {
    steps,
    startedAt,
    step(action, outcome, ok, extra = {}) {
      const at = clock.now();
      const record: StepRecord = { action, outcome, ok, at };
      if (extra.target !== undefined) record.target = extra.target;
      if (extra.startedAt !== undefined) record.ms = Math.max(0, at - extra.startedAt);
      if (extra.ms !== undefined) record.ms = extra.ms;
      if (finished) return record;
      steps.push(record);
      emit('step', describeStep(record), at);
      return record;
    },
    finish(status, reason, extra = {}) {
      const at = clock.now();
      const head = { runId: input.runId, testId: input.test.id, status, reason, agent: extra.agent ?? agent };
      const result: RunResult = {
        ...emptyResult({ ...head, startedAt, durationMs: Math.max(0, at - startedAt) }),
        steps,
      };
      if (extra.evidence) result.evidence = extra.evidence;
      if (extra.usage) result.usage = extra.usage;
      if (extra.responseMs !== undefined) result.responseMs = extra.responseMs;
      if (status !== 'skipped' && !finished) emit(FINAL_EVENT[status], reason, at);
      finished = true;
      return result;
    },
  };
}

/** A message for an unknown thrown value, first line only. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
