/**
 * What the tool loop does with each way a model reply can stop (the SDK's `StopReason`), so that
 * no stop leads to an endless loop of model calls:
 *
 * - `tool_use` (any reply with tool calls): run them.
 * - `max_tokens`: thinking counts against `max_tokens`, so the reply may hold only thinking, or a
 *   tool call cut mid-input. It is dropped (prefill, the way to continue it, is refused by current
 *   models) and asked again once with the SDK's non-streaming ceiling; cut twice in a row, or three
 *   times in a run, the run ends `error` naming the settings to change.
 * - `pause_turn`: the API paused a long turn; the reply goes back as-is to let the model continue,
 *   at most {@link MAX_PAUSES} times in a row.
 * - `end_turn` without a tool call: the model is reminded to act, at most {@link MAX_IDLE} - 1
 *   times in a row.
 * - `refusal`, `model_context_window_exceeded`: the run ends `error`.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { MAX_NONSTREAMING_TOKENS } from './thinking.js';

export const MAX_CUTS_IN_A_ROW = 2;
export const MAX_CUTS_PER_RUN = 3;
export const MAX_PAUSES = 3;
export const MAX_IDLE = 3;

/** Counters of one run. */
export interface StopState {
  cutsInARow: number;
  cuts: number;
  pauses: number;
  idle: number;
}

export function newStopState(): StopState {
  return { cutsInARow: 0, cuts: 0, pauses: 0, idle: 0 };
}

export type StopDecision =
  /** Keep the reply and run its tool calls. */
  | { kind: 'tools'; calls: Anthropic.ToolUseBlock[] }
  /** Drop the reply and ask again (with {@link maxTokensFor}'s raised budget). */
  | { kind: 'retry'; note: string }
  /** Keep the reply as-is and call again, after `nudge` as a user message when given. */
  | { kind: 'continue'; note: string; nudge?: string }
  /** End the run as `error` with this reason. */
  | { kind: 'end'; reason: string };

const SETTINGS_HINT =
  'Set HOUSECAT_THINKING=between_tools (Sonnet 5.5) or disabled, or HOUSECAT_EFFORT=low, so that the model thinks less per turn (docs/agent.md, "Thinking and reply length").';

/** Decides what to do with a reply, updating the run's counters. */
export function decideStop(reply: Anthropic.Message, state: StopState, maxTokens: number): StopDecision {
  const calls = reply.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
  if (reply.stop_reason === 'max_tokens') {
    state.cutsInARow += 1;
    state.cuts += 1;
    const used = reply.usage.output_tokens;
    if (state.cutsInARow >= MAX_CUTS_IN_A_ROW || state.cuts >= MAX_CUTS_PER_RUN) {
      const times =
        state.cutsInARow >= MAX_CUTS_IN_A_ROW
          ? `${state.cutsInARow} times in a row`
          : `${state.cuts} times in this run`;
      return {
        kind: 'end',
        reason: `The model's reply stopped at max_tokens (${used} tokens, thinking included) before a complete tool call, ${times}; the run is inconclusive. ${SETTINGS_HINT}`,
      };
    }
    return {
      kind: 'retry',
      note: `the reply stopped at max_tokens (${used} tokens, thinking included) before a complete tool call; asked again with max_tokens ${maxTokensFor(state, maxTokens)}`,
    };
  }
  if (reply.stop_reason === 'refusal')
    return { kind: 'end', reason: 'The model refused to continue the test.' };
  if (reply.stop_reason === 'model_context_window_exceeded') {
    return {
      kind: 'end',
      reason:
        "The conversation outgrew the model's context window before a verdict; the run is inconclusive.",
    };
  }
  state.cutsInARow = 0;
  if (reply.stop_reason === 'pause_turn') {
    state.pauses += 1;
    if (state.pauses > MAX_PAUSES) {
      return {
        kind: 'end',
        reason: `The API paused the model's turn ${state.pauses} times in a row (pause_turn) without a tool call; the run is inconclusive.`,
      };
    }
    return { kind: 'continue', note: 'the API paused a long turn (pause_turn); sent it back to continue' };
  }
  state.pauses = 0;
  if (calls.length > 0) {
    state.idle = 0;
    return { kind: 'tools', calls };
  }
  state.idle += 1;
  if (state.idle >= MAX_IDLE) {
    return {
      kind: 'end',
      reason: `The model answered ${state.idle} times in a row without calling a tool or giving a verdict; the run is inconclusive.`,
    };
  }
  return {
    kind: 'continue',
    note: 'the model answered without calling a tool; reminded it to act or call verdict',
    nudge: 'Use the tools to continue, and finish by calling verdict.',
  };
}

/** `max_tokens` of the next call: the SDK's non-streaming ceiling right after a cut reply. */
export function maxTokensFor(state: StopState, maxTokens: number): number {
  return state.cutsInARow > 0 ? Math.max(maxTokens, MAX_NONSTREAMING_TOKENS) : maxTokens;
}
