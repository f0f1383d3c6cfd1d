/**
 * The claude agent against models that think: the thinking and `max_tokens` it asks for per model,
 * and what it does when a reply stops at `max_tokens`, pauses (`pause_turn`) or answers without a
 * tool call. Real SDK, real Chromium, the fixture login app, the Anthropic stand-in modelling each
 * family as its docs say (tests/support/anthropic-models.ts).
 */
import { describe, expect, it } from 'vitest';
import { createClaudeAgent } from '../../../../src/adapters/agent/claude/claude-agent.js';
import { thinkingParams } from '../../../../src/adapters/agent/claude/thinking.js';
import type { HouseCatEnv } from '../../../../src/adapters/env.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import { MODEL_BEHAVIOUR } from '../../../support/anthropic-models.js';
import { loginPolicy, type Reply, type Responder } from '../../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../../support/fixture-apps.js';
import { makeLoginGoalTest } from '../../../support/test-definitions.js';

const h = useAgentHarness();

const login = loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' });

async function run(
  responder: Responder | Reply[],
  options: {
    model?: string;
    env?: HouseCatEnv;
    agent?: Partial<Parameters<typeof createClaudeAgent>[0]>;
  } = {},
) {
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const agent = createClaudeAgent({
    env: options.env ?? h.env,
    pool: h.pool,
    maxRetries: 0,
    ...options.agent,
  });
  const test = makeLoginGoalTest({
    url: `${h.apps.url}/ok/login`,
    ...(options.model ? { model: options.model } : {}),
  });

  const result = await agent.run({ test, runId: 'run-1', secrets: { DEMO_PASSWORD } });
  return { result, calls: h.llm.calls.slice(first) };
}

/** A login policy whose first reply thinks `tokens` tokens `times` times before it acts. */
function thinkingFirst(tokens: number, times: number): Responder {
  return (body, n) => {
    const reply = login(body, n);
    return n < times && 'tools' in reply ? { ...reply, thinkingTokens: tokens } : reply;
  };
}

describe('claude agent on thinking models', () => {
  it('asks every modelled family only for thinking its docs say it accepts, at every effort', () => {
    for (const [model, behaviour] of Object.entries(MODEL_BEHAVIOUR)) {
      const sent = thinkingParams(model).thinking?.type;
      if (sent !== undefined) expect(behaviour.acceptedThinking).toContain(sent);
      // Sonnet 5.5 would think up front (adaptive) without it: HouseCat turns that off.
      if (behaviour.thinkingByDefault === 'adaptive') expect(sent).toBeDefined();
      if (sent === 'between_tools') expect(behaviour.betweenToolsEfforts).toContain(behaviour.defaultEffort);
    }
  });

  it.each<[string, unknown]>([
    ['claude-sonnet-5-5', { type: 'between_tools' }],
    ['claude-sonnet-5', { type: 'disabled' }],
    ['claude-haiku-4-5', undefined],
  ])('asks %s for the lightest thinking it accepts, with room for a reply', async (model, thinking) => {
    const { result, calls } = await run(login, { model });
    expect(result.status).toBe('passed');
    expect(calls.every((c) => c.status === 200)).toBe(true);
    for (const call of calls) {
      expect(call.body.thinking).toEqual(thinking);
      expect(call.body.output_config).toBeUndefined();
      expect(call.body.max_tokens).toBe(16_000);
    }
  });

  it('runs with adaptive thinking at the configured effort, passing the signed thinking back', async () => {
    const { result, calls } = await run(login, {
      env: { ...h.env, HOUSECAT_THINKING: 'adaptive', HOUSECAT_EFFORT: 'low' },
    });
    expect(result.status).toBe('passed');
    expect(calls[0]?.body).toMatchObject({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    });
    // Every reply thought; every later request carried those blocks back and was accepted.
    expect(calls.every((c) => c.status === 200 && c.reply?.content[0]?.type === 'thinking')).toBe(true);
    expect(result.usage.outputTokens).toBeGreaterThan(4 * 750);
  });

  it('asks again with a larger max_tokens once when a reply is cut before its tool call', async () => {
    const { result, calls } = await run(thinkingFirst(17_000, 1));
    expect(result.status).toBe('passed');
    expect(calls[0]?.reply?.stop_reason).toBe('max_tokens');
    expect(calls[1]?.body.max_tokens).toBe(21_333);
    // The cut reply is dropped, not sent back as a prefill the model would refuse.
    expect(calls[1]?.body.messages).toEqual(calls[0]?.body.messages);
    expect(calls[2]?.body.max_tokens).toBe(16_000);
    expect(result.steps.some((s) => s.action === 'llm' && /max_tokens/.test(s.outcome))).toBe(true);
  });

  it('ends in error naming the settings after two cut replies in a row, not after 124 calls', async () => {
    const { result, calls } = await run(thinkingFirst(30_000, 99));
    expect(calls).toHaveLength(2);
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(
      /stopped at max_tokens \(21333 tokens, thinking included\).*2 times in a row/,
    );
    expect(result.reason).toContain('HOUSECAT_THINKING');
  });

  it('continues a paused turn by sending it back as-is', async () => {
    // The continuation's observation is the one before the paused reply.
    const { result, calls } = await run((body, n) =>
      n === 0
        ? { pause: true }
        : login(n === 1 ? { ...body, messages: body.messages.slice(0, -1) } : body, n - 1),
    );
    expect(result.status).toBe('passed');
    expect(calls[0]?.reply?.stop_reason).toBe('pause_turn');
    const resent = calls[1]?.body.messages.at(-1);
    expect(resent?.role).toBe('assistant');
    expect(resent?.content).toEqual(calls[0]?.reply?.content);
  });

  it('stops reminding a model that keeps answering without a tool call', async () => {
    const { result, calls } = await run([{ text: 'I think the page looks fine.' }]);
    expect(calls).toHaveLength(3);
    expect(result.status).toBe('error');
    expect(result.reason).toContain('3 times in a row without calling a tool');
  });

  it('ends in error naming the setting when the model refuses it (thinking disabled on Sonnet 5.5)', async () => {
    const { result, calls } = await run(login, { env: { ...h.env, HOUSECAT_THINKING: 'disabled' } });
    expect(calls.map((c) => c.status)).toEqual([400]);
    expect(result.status).toBe('error');
    expect(result.reason).toContain('between_tools');
    expect(result.reason).toContain('HOUSECAT_THINKING');
  });

  it('refuses unknown thinking settings and a max_tokens the model cannot work with, before any call', async () => {
    const wrong = await run(login, { env: { ...h.env, HOUSECAT_THINKING: 'none' } });
    expect(wrong.calls).toHaveLength(0);
    expect(wrong.result.status).toBe('error');
    expect(wrong.result.reason).toContain('HOUSECAT_THINKING is "none"');
    const small = await run(login, { agent: { maxTokensPerReply: 1_024 } });
    expect(small.calls).toHaveLength(0);
    expect(small.result.reason).toContain('maxTokensPerReply is 1024');
  });
});
