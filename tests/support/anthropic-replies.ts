/**
 * How the Anthropic stand-in shapes a reply, per model family (tests/support/anthropic-models.ts):
 * thinking first (signed, bound to the model and the conversation; empty text when the display is
 * omitted), then text and tool calls. Thinking counts against `max_tokens`, so a small budget ends
 * the turn with `stop_reason: "max_tokens"` and no tool call. Replies are typed as the SDK's own
 * `Message`, so the compiler holds them to the SDK's shape.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { behaviourOf, EFFORT_SCALE, type ModelBehaviour } from './anthropic-models.js';
import { conversationOf, type MessagesBody, type ThinkingLedger } from './anthropic-rules.js';

/**
 * One answer: tool calls (with optional text), plain text, a paused turn, or an HTTP error.
 * `thinkingTokens` overrides how long the model thinks before this answer (default: its family's
 * figure for the request's thinking mode and effort).
 */
export type Reply =
  | { tools: { name: string; input: Record<string, unknown> }[]; text?: string; thinkingTokens?: number }
  | { text: string; thinkingTokens?: number }
  | { pause: true }
  | { status: number; type?: string; message?: string };

/**
 * The reply to an accepted request, as the model family would shape it: thinking first (signed;
 * empty text when the display is omitted), then text and tool calls, unless thinking and answer
 * together pass `max_tokens`: then the turn is cut with only its thinking and no tool call.
 */
export function buildMessage(
  body: MessagesBody,
  raw: string,
  reply: Exclude<Reply, { status: number }>,
  id: string,
  ledger: ThinkingLedger,
  ids: { tool: number },
): Anthropic.Message {
  const model = behaviourOf(body.model)!;
  const conversation = conversationOf(body);
  const mode = body.thinking?.type ?? model.thinkingByDefault;
  const display = body.thinking?.display ?? (mode === 'between_tools' ? 'summarized' : model.defaultDisplay);
  const thinkingTokens =
    'pause' in reply
      ? model.adaptiveThinkingTokens
      : (reply.thinkingTokens ?? thinkingTokensFor(body, model));
  const thoughts: Anthropic.ThinkingBlock[] = [];
  if (thinkingTokens > 0) {
    const text =
      display === 'omitted' ? '' : `Looking at the page to decide the next step (${thinkingTokens} tokens).`;
    thoughts.push({
      type: 'thinking',
      thinking: text,
      signature: ledger.sign(body.model, conversation, text),
    });
  }
  const answer: Anthropic.ContentBlock[] = [];
  if ('text' in reply && reply.text) answer.push({ type: 'text', text: reply.text, citations: null });
  if ('tools' in reply) {
    for (const tool of reply.tools) {
      ids.tool += 1;
      answer.push({
        type: 'tool_use',
        id: `toolu_${String(ids.tool).padStart(6, '0')}`,
        name: tool.name,
        input: tool.input,
        caller: { type: 'direct' },
      });
    }
  }
  const answerTokens = Math.ceil(JSON.stringify(answer).length / 4);
  let content: Anthropic.ContentBlock[] = [...thoughts, ...answer];
  let stop: Anthropic.StopReason = 'tools' in reply ? 'tool_use' : 'end_turn';
  let output = thinkingTokens + answerTokens;
  if ('pause' in reply) {
    content = thoughts;
    stop = 'pause_turn';
    output = thinkingTokens;
    ledger.paused.add(JSON.stringify(content));
  } else if (output > body.max_tokens) {
    // Thinking counts against max_tokens: the budget ran out before the answer was written.
    content = thoughts;
    stop = 'max_tokens';
    output = body.max_tokens;
  }
  for (const block of content) {
    if (block.type === 'tool_use') ledger.byToolUse.set(block.id, thoughts);
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: body.model,
    container: null,
    content,
    diagnostics: null,
    stop_reason: stop,
    stop_sequence: null,
    stop_details: null,
    usage: usageOf(body, raw, output, Math.min(thinkingTokens, output)),
  };
}

/** How many tokens the model thinks before this reply, per its family, mode and effort. */
export function thinkingTokensFor(body: MessagesBody, model: ModelBehaviour): number {
  const mode = body.thinking?.type ?? model.thinkingByDefault;
  const effort = body.output_config?.effort ?? model.defaultEffort;
  if (mode === 'adaptive') return Math.round(model.adaptiveThinkingTokens * EFFORT_SCALE[effort]);
  if (mode === 'between_tools') {
    // Only notes between tool calls: a turn that follows a tool result writes a short one.
    const last = body.messages[body.messages.length - 1];
    const afterTool = Array.isArray(last?.content) && last.content.some((b) => b.type === 'tool_result');
    return afterTool ? model.betweenToolsTokens : 0;
  }
  if (mode === 'enabled') return Math.min(body.thinking?.budget_tokens ?? 0, body.max_tokens);
  return 0;
}

/** The usage block of a reply: input as characters / 4, the system prompt and tools cached. */
export function usageOf(
  body: MessagesBody,
  raw: string,
  outputTokens: number,
  thinkingTokens: number,
): Anthropic.Usage {
  const cached = Math.ceil(
    (JSON.stringify(body.system ?? '').length + JSON.stringify(body.tools ?? []).length) / 4,
  );
  const first = body.messages.length === 1;
  return {
    input_tokens: Math.max(1, Math.ceil(raw.length / 4) - cached),
    cache_creation_input_tokens: first ? cached : 0,
    cache_read_input_tokens: first ? 0 : cached,
    cache_creation: { ephemeral_5m_input_tokens: first ? cached : 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { thinking_tokens: thinkingTokens },
    inference_geo: 'global',
    server_tool_use: null,
    service_tier: 'standard',
    speed: 'standard',
  };
}
