/**
 * What the Anthropic stand-in checks in a request and how it shapes a reply, per model family
 * (tests/support/anthropic-models.ts): refused settings answer 400 with the API's error body, thinking
 * blocks carry a signature bound to the model and the conversation and must come back unchanged,
 * and the stand-in remembers what it issued (tests/support/anthropic-replies.ts shapes the replies).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { behaviourOf, type Effort } from './anthropic-models.js';

/** The parts of a Messages API request the stand-in reads. */
export interface MessagesBody {
  model: string;
  max_tokens: number;
  system?: { type: 'text'; text: string; cache_control?: unknown }[] | string;
  tools?: { name: string; cache_control?: unknown }[];
  messages: { role: 'user' | 'assistant'; content: string | ContentBlock[] }[];
  thinking?: { type: string; budget_tokens?: number; display?: string | null };
  output_config?: { effort?: Effort | null };
  tool_choice?: { type: string; name?: string };
  temperature?: number;
  top_p?: number;
  top_k?: number;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | {
      type: 'tool_result';
      tool_use_id: string;
      content?: string | { type: string; text?: string }[];
      is_error?: boolean;
    }
  | { type: 'image'; source: unknown };

/** An HTTP error the stand-in answers with. */
export interface Refusal {
  status: number;
  type: string;
  message: string;
}

/** What one stand-in remembers across requests, as the API does for signatures and paused turns. */
export class ThinkingLedger {
  private readonly key = randomBytes(32);
  /** Thinking blocks issued in the same reply as a tool_use id. */
  readonly byToolUse = new Map<string, { thinking: string; signature: string }[]>();
  /** Contents of replies that stopped with `pause_turn`: passing one back as-is continues it. */
  readonly paused = new Set<string>();

  sign(model: string, conversation: string, thinking: string): string {
    const nonce = randomBytes(9).toString('base64url');
    return `${nonce}.${this.mac(model, conversation, thinking, nonce)}`;
  }

  verify(model: string, conversation: string, thinking: string, signature: string): boolean {
    const [nonce, mac] = signature.split('.');
    return !!nonce && mac === this.mac(model, conversation, thinking, nonce);
  }

  private mac(model: string, conversation: string, thinking: string, nonce: string): string {
    return createHmac('sha256', this.key)
      .update(`${model}\n${conversation}\n${nonce}\n${thinking}`)
      .digest('base64url');
  }
}

/** A conversation is known by its first message: signatures from another one do not verify. */
export function conversationOf(body: MessagesBody): string {
  return createHash('sha256')
    .update(JSON.stringify(body.messages[0] ?? ''))
    .digest('hex');
}

const invalid = (message: string): Refusal => ({ status: 400, type: 'invalid_request_error', message });

/** The first reason the model refuses this request, or undefined when it accepts it. */
function checkRequest(body: MessagesBody, ledger: ThinkingLedger): Refusal | undefined {
  const model = behaviourOf(body.model);
  if (!model) return { status: 404, type: 'not_found_error', message: `model: ${body.model}` };
  if (body.max_tokens > 128_000)
    return invalid(`max_tokens: ${body.max_tokens} > 128000, the model's maximum`);
  const thinking = body.thinking?.type;
  if (thinking !== undefined && !model.acceptedThinking.includes(thinking as never)) {
    const hint =
      thinking === 'disabled' && model.acceptedThinking.includes('between_tools')
        ? ' Use thinking.type "between_tools" to turn off up-front thinking.'
        : thinking === 'enabled'
          ? ' Manual extended thinking (budget_tokens) is not supported: use thinking.type "adaptive" with output_config.effort.'
          : '';
    return invalid(`thinking.type: "${thinking}" is not supported on ${body.model}.${hint}`);
  }
  if (body.thinking?.budget_tokens !== undefined && thinking !== 'enabled') {
    return invalid('thinking.budget_tokens: Extra inputs are not permitted');
  }
  const effort = body.output_config?.effort ?? model.defaultEffort;
  if (thinking === 'between_tools' && !model.betweenToolsEfforts.includes(effort)) {
    return invalid(
      `thinking.type "between_tools" is not supported at effort "${effort}": use ${model.betweenToolsEfforts.join(', ')}, or adaptive thinking`,
    );
  }
  const choice = body.tool_choice?.type;
  if ((choice === 'any' || choice === 'tool') && !model.forcedToolChoice) {
    return invalid(
      `tool_choice.type: "${choice}" (forced tool use) is not supported on ${body.model}; use "auto" or "none"`,
    );
  }
  if (!model.samplingParameters) {
    if (body.temperature !== undefined && body.temperature !== 1)
      return invalid(`temperature: only the default (1.0) is supported on ${body.model}`);
    for (const name of ['top_p', 'top_k'] as const) {
      if (body[name] !== undefined) return invalid(`${name}: is not supported on ${body.model}`);
    }
  }
  const last = body.messages[body.messages.length - 1];
  if (
    last?.role === 'assistant' &&
    !model.assistantPrefill &&
    !ledger.paused.has(JSON.stringify(last.content))
  ) {
    return invalid(
      `This model does not support assistant message prefill. The conversation must end with a user message.`,
    );
  }
  return checkThinkingBlocks(body, ledger);
}

/** Every thinking block verifies, and the latest assistant turn's blocks came back as issued. */
function checkThinkingBlocks(body: MessagesBody, ledger: ThinkingLedger): Refusal | undefined {
  const conversation = conversationOf(body);
  let latest = -1;
  body.messages.forEach((message, i) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    latest = i;
    for (const [j, block] of message.content.entries()) {
      if (block.type === 'redacted_thinking')
        throw invalid(`messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`);
      if (block.type !== 'thinking') continue;
      if (!ledger.verify(body.model, conversation, block.thinking, block.signature)) {
        throw invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
      }
    }
  });
  const message = body.messages[latest];
  if (!message || typeof message.content === 'string') return undefined;
  const sent = message.content.filter((b) => b.type === 'thinking');
  for (const block of message.content) {
    if (block.type !== 'tool_use') continue;
    const issued = ledger.byToolUse.get(block.id);
    if (!issued) continue;
    const same =
      issued.length === sent.length &&
      issued.every((b, k) => b.thinking === sent[k]?.thinking && b.signature === sent[k]?.signature);
    if (!same) {
      return invalid(
        `messages.${latest}.content: thinking or redacted_thinking blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`,
      );
    }
  }
  return undefined;
}

/** Runs {@link checkRequest}, turning a signature failure thrown inside the scan into its refusal. */
export function refusalOf(body: MessagesBody, ledger: ThinkingLedger): Refusal | undefined {
  try {
    return checkRequest(body, ledger);
  } catch (error) {
    if (error && typeof error === 'object' && 'status' in error) return error as Refusal;
    throw error;
  }
}
