/**
 * The claude backend with replay in front: a goal test whose script is valid runs the script with
 * no model; when the script diverges the agent runs and its verdict decides. The rules:
 *
 * - replay passes (every step, and the recorded evidence holds on the live page) → `passed`,
 *   mode `replay`, 0 LLM calls;
 * - replay diverges, agent passes → `passed`, mode `healed`, the new script replaces the old one;
 * - replay diverges, agent fails or errs → the agent's status, the reason naming both;
 * - a replay never reports `failed` itself, and never passes what the evidence check refuses.
 */
import type { Agent, AgentRunInput, Clock, Logger } from '../../../core/ports.js';
import { systemClock } from '../../../core/ports.js';
import {
  type ReplayScript,
  type ReplayStore,
  replayEnabled,
  replayHash,
  staleReason,
} from '../../../core/replay/index.js';
import { continuedFrom, emptyResult } from '../../../core/run/result.js';
import type { RunEvent, RunResult } from '../../../core/types.js';
import { type ReplayerOptions, type ReplayOutcome, replayScript } from './replayer.js';

export interface WithReplayOptions extends ReplayerOptions {
  store: ReplayStore;
  logger?: Logger;
}

/** Wraps the claude backend `agent` with replay. */
export function withReplay(agent: Agent, options: WithReplayOptions): Agent {
  const clock: Clock = options.clock ?? systemClock;
  const { store, logger } = options;

  const emit = (input: AgentRunInput, type: RunEvent['type'], message: string) =>
    emitTo(input, clock, type, message);

  /** Saves the recording of a passing run; a store problem costs the next run a model call, nothing else. */
  const save = async (input: AgentRunInput, result: RunResult): Promise<boolean> => {
    if (result.status !== 'passed' || !result.recording) return false;
    try {
      await store.save({
        ...result.recording,
        testId: input.test.id,
        contentHash: replayHash(input.test),
        recordedAt: clock.now(),
      });
      return true;
    } catch (error) {
      logger?.warn(`could not save the replay script of ${input.test.id}: ${String(error)}`);
      return false;
    }
  };

  async function run(input: AgentRunInput): Promise<RunResult> {
    const { test } = input;
    // A preview deployment is another site: its runs neither use nor overwrite the production script.
    if (!replayEnabled(test) || input.baseUrl) return agent.run(input);
    if (input.replay === false) {
      const result = await agent.run(input);
      await save(input, result);
      return result;
    }

    const script = await store.get(test.id).catch((error: unknown) => {
      logger?.warn(`could not read the replay script of ${test.id}: ${String(error)}`);
      return null;
    });
    const stale = script ? staleReason(script, test) : undefined;
    if (!script || stale) {
      if (stale) emit(input, 'step', `replay: recorded script not used: ${stale}; the agent runs`);
      const result = await agent.run(input);
      await save(input, result);
      return result;
    }

    const replay = await replayScript(options, input, script);
    if (replay.ok) {
      const verifiedAt = clock.now();
      await store.markVerified(test.id, verifiedAt).catch((error: unknown) => {
        logger?.warn(`could not mark the replay script of ${test.id} verified: ${String(error)}`);
      });
      const result = replayedResult(input, script, replay);
      emit(input, 'pass', result.reason);
      return result;
    }

    const divergence = `${replay.problem} at step ${replay.step}`;
    emit(input, 'step', `replay diverged: ${divergence}; the agent takes over`);
    const result = await agent.run(input);
    const merged = continuedFrom(replay, result);
    if (result.status === 'passed') {
      const saved = await save(input, result);
      merged.mode = 'healed';
      merged.reason = `${result.reason} (healed: the recorded script diverged — ${divergence}${saved ? '; a new script was recorded' : ''})`;
      return merged;
    }
    merged.reason = `replay: ${divergence}. Agent: ${result.reason}`;
    return merged;
  }

  return { run };
}

/** Reports an event; a faulty listener must not change the verdict. */
function emitTo(input: AgentRunInput, clock: Clock, type: RunEvent['type'], message: string): void {
  try {
    input.onEvent?.({ type, message, at: clock.now() });
  } catch {
    // ignored: see above
  }
}

/** The result of a replay that passed: no model call, the recorded evidence held on the page. */
function replayedResult(
  input: AgentRunInput,
  script: ReplayScript,
  replay: Extract<ReplayOutcome, { ok: true }>,
): RunResult {
  const cited = script.evidence.textVisible.map((t) => `"${t}"`).join(', ');
  const steps = script.steps.length;
  const reason = `Replayed ${steps} recorded step${steps === 1 ? '' : 's'} without a model; the recorded evidence holds on the page (${cited}).`;
  const head = {
    runId: input.runId,
    testId: input.test.id,
    status: 'passed' as const,
    reason,
    agent: 'claude' as const,
  };
  const result: RunResult = {
    ...emptyResult({ ...head, startedAt: replay.startedAt, durationMs: replay.durationMs }),
    ...(replay.responseMs !== undefined ? { responseMs: replay.responseMs } : {}),
    steps: replay.steps,
    evidence: { finalUrl: replay.finalUrl, ...(replay.excerpt ? { excerpt: replay.excerpt } : {}) },
    mode: 'replay',
  };
  result.usage.costUsd = 0;
  return result;
}
