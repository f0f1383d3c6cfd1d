/**
 * The loop of a claude run: one model call, then its tool calls (tool-dispatch.ts), until a
 * verdict, or until the time, step or token budget runs out. A reply that is cut short, paused or
 * idle is handled by turn-stops.ts, so no stop reason leads to an endless loop of model calls.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { Page } from 'playwright-core';
import type { HostPolicy } from '../../../core/net/host-policy.js';
import type { Clock } from '../../../core/ports.js';
import type { RunResult, RunUsage } from '../../../core/types.js';
import { settlePage } from '../../browser/settle.js';
import { takeSnapshot } from '../../browser/snapshot.js';
import { createStepRecorder } from '../replay/record-steps.js';
import type { ClaudeRun } from './claude-run.js';
import { firstMessage, SYSTEM_PROMPT } from './prompt.js';
import type { RunDeadline } from './run-deadline.js';
import type { ThinkingParams } from './thinking.js';
import { TOOLS } from './tool-definitions.js';
import { dispatchCalls, type ToolTurns } from './tool-dispatch.js';
import type { ToolSession } from './tools.js';
import { decideStop, maxTokensFor, newStopState } from './turn-stops.js';

/** Snapshots older than the latest few are replaced in the history to keep the input small. */
const KEPT_SNAPSHOTS = 2;

/** What the loop needs, checked before the run started (claude-agent.ts). */
export interface LoopSettings {
  apiKey: string;
  baseUrl: string | undefined;
  maxRetries: number;
  model: string;
  modelParams: ThinkingParams;
  maxTokens: number;
  tokenBudget: number;
  maxSteps: number;
  snapshotChars: number;
  settle: boolean;
  goal: string;
  url: string;
  policy: HostPolicy;
  secrets: Record<string, string>;
  secretNames: string[];
}

/** Runs the model loop on the opened start page until the run ends; returns its result. */
export async function runModelLoop(
  run: ClaudeRun & { page: Page },
  deadline: RunDeadline,
  clock: Clock,
  settings: LoopSettings,
): Promise<RunResult> {
  const client = new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? 'https://api.anthropic.com',
    maxRetries: settings.maxRetries,
  });
  const { messages, turns } = await startConversation(run, deadline, clock, settings);
  const stops = newStopState();
  const { model, maxTokens, tokenBudget } = settings;
  for (;;) {
    // The deadline passed between two steps: stop now, not after more steps that get no time.
    deadline.stopIfDue();
    const stopped = deadline.stopped();
    if (stopped) return run.finish('error', stopped);
    const used = run.usage.inputTokens + run.usage.outputTokens;
    if (used >= tokenBudget) {
      return run.finish(
        'error',
        `The agent used its token budget (${used} of ${tokenBudget} tokens) without reaching a verdict.`,
      );
    }
    let reply: Anthropic.Message;
    const tCall = clock.now();
    try {
      reply = await client.messages.create(
        {
          model,
          max_tokens: maxTokensFor(stops, maxTokens),
          ...settings.modelParams,
          system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }],
          tools: TOOLS,
          messages,
        },
        { signal: deadline.signal, timeout: Math.max(1_000, deadline.remaining()) },
      );
    } catch (error) {
      const stoppedNow = deadline.stopped();
      if (stoppedNow) return run.finish('error', stoppedNow);
      const reason = describeApiError(error, settings.baseUrl);
      run.step('llm', reason, false, model, clock.now() - tCall);
      return run.finish('error', reason);
    }
    addUsage(run.usage, reply.usage);
    const decision = decideStop(reply, stops, maxTokens);
    if (decision.kind === 'end') {
      run.step('llm', decision.reason, false, model);
      return run.finish('error', decision.reason);
    }
    if (decision.kind === 'retry') {
      run.step('llm', decision.note, false, model);
      continue;
    }
    // Thinking blocks go back exactly as received (signature included): the API refuses a turn
    // whose latest thinking was changed or dropped during tool use.
    messages.push({ role: 'assistant', content: reply.content as Anthropic.ContentBlockParam[] });
    if (decision.kind === 'continue') {
      run.step('llm', decision.note, decision.nudge === undefined, model);
      if (decision.nudge) messages.push({ role: 'user', content: decision.nudge });
      continue;
    }
    const outcome = await dispatchCalls(turns, decision.calls);
    if ('end' in outcome) return run.finish(outcome.end.status, outcome.end.reason);
    trimOldSnapshots(turns.snapshotResults);
    messages.push({ role: 'user', content: outcome.results });
  }
}

/** The first message (goal, rules and the opening snapshot) and what the tool calls will share. */
async function startConversation(
  run: ClaudeRun & { page: Page },
  deadline: RunDeadline,
  clock: Clock,
  settings: LoopSettings,
): Promise<{ messages: Anthropic.MessageParam[]; turns: ToolTurns }> {
  const { page, redact } = run;
  const refLabels = new Map<string, string>();
  const remember = (text: string) => {
    for (const m of text.matchAll(/^\[ref=([a-z0-9]+)\] (.*)$/gm)) refLabels.set(m[1]!, m[2]!.slice(0, 80));
  };
  const session: ToolSession = {
    page,
    policy: settings.policy,
    secrets: settings.secrets,
    secretNames: settings.secretNames,
    redact,
    secretFields: run.secretFields,
    snapshotChars: settings.snapshotChars,
    actionTimeout: () => Math.max(1, Math.min(10_000, deadline.remaining())),
    settle: settings.settle,
  };
  // The first snapshot too: an app renders its content after `load`.
  if (session.settle !== false) await settlePage(page, { maxMs: Math.min(2_000, deadline.remaining()) });
  const opening = await takeSnapshot(page, { maxChars: session.snapshotChars, redact });
  remember(opening.text);
  const first = firstMessage({
    goal: settings.goal,
    url: settings.url,
    allowedHosts: settings.policy.description,
    secretNames: settings.secretNames,
    maxSteps: settings.maxSteps,
    opening: opening.text,
  });
  const script = createStepRecorder(
    page,
    redact,
    () => Math.max(1, Math.min(5_000, deadline.remaining())),
    (ref) => refLabels.get(ref),
  );
  const turns: ToolTurns = {
    run,
    session,
    script,
    clock,
    model: settings.model,
    maxSteps: settings.maxSteps,
    counts: { toolCalls: 0, falseClaims: 0 },
    snapshotResults: [],
    remember,
    describeRef: (ref) => (refLabels.has(ref) ? `${ref} (${refLabels.get(ref)})` : ref),
  };
  return { messages: [{ role: 'user', content: first }], turns };
}

/** Adds one reply's usage: cache writes and reads are part of the input, and counted apart for the price. */
function addUsage(usage: RunUsage, reply: Anthropic.Usage): void {
  const writes = reply.cache_creation_input_tokens ?? 0;
  const reads = reply.cache_read_input_tokens ?? 0;
  usage.llmCalls += 1;
  usage.inputTokens += reply.input_tokens + writes + reads;
  usage.outputTokens += reply.output_tokens;
  usage.cacheWriteTokens = (usage.cacheWriteTokens ?? 0) + writes;
  usage.cacheReadTokens = (usage.cacheReadTokens ?? 0) + reads;
}

/** Keeps only the latest snapshots in the history; older ones shrink to their first line. */
function trimOldSnapshots(snapshotResults: Anthropic.ToolResultBlockParam[]): void {
  while (snapshotResults.length > KEPT_SNAPSHOTS) {
    const old = snapshotResults.shift()!;
    if (typeof old.content === 'string') {
      old.content = `${old.content.split('\n')[0]}\n(older page snapshot removed: use the latest one)`;
    }
  }
}

/** Turns an SDK error into a reason a person on call can act on. */
export function describeApiError(error: unknown, baseUrl: string | undefined): string {
  const where = baseUrl ?? 'https://api.anthropic.com';
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return `The Anthropic API (${where}) did not answer in time; the run is inconclusive.`;
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return `Could not reach the Anthropic API at ${where}: ${error.message.replace(/\.+$/, '')}. The run is inconclusive; check the network or ANTHROPIC_BASE_URL.`;
  }
  if (error instanceof Anthropic.APIError) {
    const status = error.status;
    if (status === 401 || status === 403) {
      return `The Anthropic API refused the key (HTTP ${status}): check ANTHROPIC_API_KEY.`;
    }
    if (status === 429)
      return 'The Anthropic API rate-limited HouseCat (HTTP 429) after retries; the run is inconclusive.';
    if (status === 529 || (status !== undefined && status >= 500)) {
      return `The Anthropic API is unavailable (HTTP ${status}${status === 529 ? ', overloaded' : ''}) after retries; the run is inconclusive.`;
    }
    if (status === 400 || status === 404) {
      return `The Anthropic API rejected the request (HTTP ${status}): ${error.message.replace(/\.+$/, '')}. Check the model name (test model / HOUSECAT_MODEL)${status === 400 ? ' and the settings it refuses (HOUSECAT_THINKING, HOUSECAT_EFFORT; docs/agent.md, "Thinking and reply length")' : ''}.`;
    }
    return `The Anthropic API failed (HTTP ${status}): ${error.message}`;
  }
  return `The Anthropic API call failed: ${error instanceof Error ? error.message : String(error)}`;
}
