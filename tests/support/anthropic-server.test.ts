/**
 * The Anthropic stand-in checked against the authority that ships in a package: the real SDK
 * parses its replies and errors, and their fields are exactly those of the SDK's own `Message`,
 * `Usage` and content block types. Then the model behaviour table: what the current Sonnet refuses,
 * how it thinks, and what it wants back.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicServer, type Reply, startAnthropicServer } from './anthropic-server.js';

// Every field of the SDK's types, listed so that the compiler fails when the SDK adds or drops one.
const MESSAGE_FIELDS = {
  id: true,
  type: true,
  role: true,
  model: true,
  container: true,
  content: true,
  diagnostics: true,
  stop_reason: true,
  stop_sequence: true,
  stop_details: true,
  usage: true,
} satisfies Record<keyof Anthropic.Message, true>;
const USAGE_FIELDS = {
  cache_creation: true,
  cache_creation_input_tokens: true,
  cache_read_input_tokens: true,
  inference_geo: true,
  input_tokens: true,
  output_tokens: true,
  output_tokens_details: true,
  server_tool_use: true,
  service_tier: true,
  speed: true,
} satisfies Record<keyof Anthropic.Usage, true>;
const THINKING_FIELDS = { type: true, thinking: true, signature: true } satisfies Record<
  keyof Anthropic.ThinkingBlock,
  true
>;
const STOP_REASONS = {
  end_turn: true,
  max_tokens: true,
  stop_sequence: true,
  tool_use: true,
  pause_turn: true,
  refusal: true,
  model_context_window_exceeded: true,
} satisfies Record<Anthropic.StopReason, true>;

let llm: AnthropicServer;
let client: Anthropic;

beforeAll(async () => {
  llm = await startAnthropicServer();
  client = new Anthropic({ apiKey: llm.apiKey, baseURL: llm.url, maxRetries: 0 });
});
afterAll(() => llm?.close());

const CLICK: Reply = { tools: [{ name: 'click', input: { ref: 'e1' } }] };
const tools = [{ name: 'click', description: 'Click', input_schema: { type: 'object' as const } }];
const ask = { role: 'user' as const, content: 'Sign in.' };

/** One request through the real SDK, with `extra` fields its types may not even allow. */
function create(extra: Record<string, unknown> = {}, reply: Reply = CLICK): Promise<Anthropic.Message> {
  llm.respond([reply]);
  return client.messages.create({
    model: 'claude-sonnet-5-5',
    max_tokens: 16_000,
    tools,
    messages: [ask],
    ...extra,
  } as Anthropic.MessageCreateParamsNonStreaming);
}

async function refusal(
  extra: Record<string, unknown>,
): Promise<{ status?: number; type?: string; message: string }> {
  try {
    await create(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const e = error as InstanceType<typeof Anthropic.APIError>;
    const body = e.error as { type?: string; error?: { type?: string; message?: string } };
    // The API's error body: {type: 'error', error: {type, message}}.
    expect(body.type).toBe('error');
    return { status: e.status, type: body.error?.type, message: body.error?.message ?? '' };
  }
  throw new Error('the stand-in accepted a request the model refuses');
}

describe('Anthropic stand-in against the SDK', () => {
  it('answers with exactly the fields of the SDK Message, Usage and ThinkingBlock types', async () => {
    const message = await create();
    expect(Object.keys(message).sort()).toEqual(Object.keys(MESSAGE_FIELDS).sort());
    expect(Object.keys(message.usage).sort()).toEqual(Object.keys(USAGE_FIELDS).sort());
    expect(Object.keys(STOP_REASONS)).toContain(message.stop_reason);
    const [thinking, tool] = message.content;
    expect(thinking?.type).toBe('thinking');
    expect(Object.keys(thinking!).sort()).toEqual(Object.keys(THINKING_FIELDS).sort());
    expect(tool?.type).toBe('tool_use');
    // The total input is the sum of the three input counts (the Message type's own definition).
    expect(message.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
  });

  it('thinks by default on Sonnet 5.5, omits the text, and counts it against max_tokens', async () => {
    const full = await create();
    expect(full.stop_reason).toBe('tool_use');
    const block = full.content[0] as Anthropic.ThinkingBlock;
    expect(block.thinking).toBe('');
    expect(block.signature.length).toBeGreaterThan(20);
    expect(full.usage.output_tokens).toBeGreaterThan(full.usage.output_tokens_details!.thinking_tokens);

    // A budget of 1,024 is spent on thinking alone: the turn ends with no tool call.
    const cut = await create({ max_tokens: 1_024 });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.content.map((b) => b.type)).toEqual(['thinking']);
    expect(cut.usage.output_tokens).toBe(1_024);

    // between_tools: no up-front thinking on the first turn.
    const light = await create({ max_tokens: 1_024, thinking: { type: 'between_tools' } });
    expect(light.stop_reason).toBe('tool_use');
    expect(light.content.map((b) => b.type)).toEqual(['tool_use']);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['thinking disabled', { thinking: { type: 'disabled' } }, /between_tools/],
    ['a thinking budget', { thinking: { type: 'enabled', budget_tokens: 2_048 } }, /budget_tokens/],
    ['forced tool_choice any', { tool_choice: { type: 'any' } }, /forced tool use/],
    ['forced tool_choice tool', { tool_choice: { type: 'tool', name: 'click' } }, /forced tool use/],
    ['temperature 0', { temperature: 0 }, /temperature/],
    ['top_p', { top_p: 0.9 }, /top_p/],
    ['top_k', { top_k: 5 }, /top_k/],
    ['assistant prefill', { messages: [ask, { role: 'assistant', content: '{"passed":' }] }, /prefill/],
    [
      'between_tools at effort max',
      { thinking: { type: 'between_tools' }, output_config: { effort: 'max' } },
      /effort/,
    ],
  ])('answers 400 to %s on Sonnet 5.5', async (_name, extra, message) => {
    const refused = await refusal(extra);
    expect(refused).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(refused.message).toMatch(message);
  });

  it('accepts the settings Sonnet 5.5 allows: default temperature, auto tool_choice, low effort', async () => {
    const ok = await create({
      temperature: 1,
      tool_choice: { type: 'auto' },
      output_config: { effort: 'low' },
    });
    expect(ok.stop_reason).toBe('tool_use');
  });

  it('wants the latest thinking back unchanged during tool use, from the same model and conversation', async () => {
    const first = await create();
    const toolUse = first.content.find((b) => b.type === 'tool_use') as Anthropic.ToolUseBlock;
    const result = {
      role: 'user' as const,
      content: [{ type: 'tool_result' as const, tool_use_id: toolUse.id, content: 'done' }],
    };
    const next = (assistant: Anthropic.ContentBlockParam[], extra: Record<string, unknown> = {}) =>
      create({ messages: [ask, { role: 'assistant', content: assistant }, result], ...extra });

    expect((await next(first.content as Anthropic.ContentBlockParam[])).stop_reason).toBe('tool_use');
    const [thinking] = first.content as Anthropic.ThinkingBlock[];
    const changed = [{ ...thinking!, thinking: 'edited' }, toolUse];
    await expect(next(changed as Anthropic.ContentBlockParam[])).rejects.toThrow(/signature/);
    await expect(next([toolUse] as Anthropic.ContentBlockParam[])).rejects.toThrow(/cannot be modified/);
    await expect(
      next(first.content as Anthropic.ContentBlockParam[], { model: 'claude-sonnet-5' }),
    ).rejects.toThrow(/signature/);
    const other = { role: 'user' as const, content: 'Another conversation.' };
    await expect(
      create({ messages: [other, { role: 'assistant', content: first.content }, result] }),
    ).rejects.toThrow(/signature/);
  });

  it('pauses a turn with pause_turn and continues it when the reply comes back as-is', async () => {
    const paused = await create({}, { pause: true });
    expect(paused.stop_reason).toBe('pause_turn');
    const resumed = await create({ messages: [ask, { role: 'assistant', content: paused.content }] });
    expect(resumed.stop_reason).toBe('tool_use');
  });

  it('models Sonnet 5 and older models by their own docs, and answers 404 to an unknown model', async () => {
    // Sonnet 5 still turns thinking off and allows forced tool use; it refuses budgets.
    const off = await create({
      model: 'claude-sonnet-5',
      thinking: { type: 'disabled' },
      tool_choice: { type: 'any' },
    });
    expect(off.content.map((b) => b.type)).toEqual(['tool_use']);
    expect(
      await refusal({ model: 'claude-sonnet-5', thinking: { type: 'enabled', budget_tokens: 2_048 } }),
    ).toMatchObject({
      status: 400,
    });
    // Haiku 4.5 does not think unless asked and accepts sampling settings.
    const haiku = await create({ model: 'claude-haiku-4-5', max_tokens: 1_024, temperature: 0 });
    expect(haiku.content.map((b) => b.type)).toEqual(['tool_use']);
    expect(await refusal({ model: 'claude-nonexistent-9' })).toMatchObject({
      status: 404,
      type: 'not_found_error',
    });
  });
});
