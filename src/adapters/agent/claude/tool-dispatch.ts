/**
 * The tool dispatch of one model turn: each tool call of the reply runs in order (the verdict is
 * answered by verdict.ts, every other tool by tools.ts), is recorded as a step and for the replay
 * script, and gives the model its result. The step budget (`max_steps`) counts every call.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Page } from 'playwright-core';
import type { Clock } from '../../../core/ports.js';
import { type Redactor, redactDeep } from '../../../core/secrets/redact.js';
import type { RunStatus } from '../../../core/types.js';
import type { StepRecorder } from '../replay/record-steps.js';
import type { ClaudeRun } from './claude-run.js';
import { runTool, type ToolSession } from './tools.js';
import { answerVerdict } from './verdict.js';

/** What the tool calls of a run share from turn to turn. */
export interface ToolTurns {
  run: ClaudeRun & { page: Page };
  session: ToolSession;
  script: StepRecorder;
  clock: Clock;
  model: string;
  maxSteps: number;
  /** Tool calls so far (verdicts included), and passing verdicts whose evidence did not hold. */
  counts: { toolCalls: number; falseClaims: number };
  /** Results that end with a page snapshot, oldest first (older ones are trimmed from the history). */
  snapshotResults: Anthropic.ToolResultBlockParam[];
  /** Keeps the ref labels of a snapshot, for step targets and the replay script. */
  remember(text: string): void;
  describeRef(ref: string): string;
}

/** A turn ends the run, or gives the model the results of its calls. */
export type TurnOutcome =
  | { end: { status: RunStatus; reason: string } }
  | { results: Anthropic.ToolResultBlockParam[] };

/** Runs the tool calls of one reply, in order. */
export async function dispatchCalls(turns: ToolTurns, calls: Anthropic.ToolUseBlock[]): Promise<TurnOutcome> {
  const { run, clock, counts, maxSteps } = turns;
  const outOfSteps = {
    end: {
      status: 'error' as const,
      reason: `The agent used all ${maxSteps} steps without reaching a verdict (max_steps).`,
    },
  };
  const results: Anthropic.ToolResultBlockParam[] = [];
  for (const call of calls) {
    if (counts.toolCalls >= maxSteps) return outOfSteps;
    counts.toolCalls += 1;
    const startedAt = clock.now();
    if (call.name === 'verdict') {
      const answer = await answerVerdict(run, call, {
        script: turns.script,
        model: turns.model,
        claims: counts,
        startedAt,
        now: () => clock.now(),
      });
      if ('end' in answer) return answer;
      results.push(answer.retry);
      continue;
    }
    results.push(await runToolCall(turns, call, startedAt));
  }
  if (counts.toolCalls >= maxSteps) return outOfSteps;
  return { results };
}

/** Runs one browser tool, records its step, and words its result for the model. */
async function runToolCall(
  turns: ToolTurns,
  call: Anthropic.ToolUseBlock,
  startedAt: number,
): Promise<Anthropic.ToolResultBlockParam> {
  const input = (call.input ?? {}) as Record<string, unknown>;
  // The element is located for the script before the action: a click may remove it.
  const pending = await turns.script.before(call.name, input);
  const output = await runTool(turns.session, call.name, input, turns.describeRef);
  if (output.ok) turns.script.after(pending);
  const target = output.target ?? summarizeInput(input, turns.run.redact);
  turns.run.step(call.name, output.outcome, output.ok, target, turns.clock.now() - startedAt);
  let content = output.content;
  const left = turns.maxSteps - turns.counts.toolCalls;
  if (typeof content === 'string') {
    turns.remember(content);
    if (left <= 2) content += `\n\n(${left} step${left === 1 ? '' : 's'} left: call verdict now.)`;
  }
  const result: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: call.id, content };
  if (!output.ok) result.is_error = true;
  if (output.hasSnapshot) turns.snapshotResults.push(result);
  return result;
}

function summarizeInput(input: Record<string, unknown>, redact: Redactor): string | undefined {
  const safe = redactDeep(input, redact);
  const text = Object.entries(safe)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text ? text.slice(0, 200) : undefined;
}
