import { describe, expect, it } from 'vitest';
import { createClaudeAgent } from '../../../../src/adapters/agent/claude/claude-agent.js';
import { BrowserPool } from '../../../../src/adapters/browser/browser-pool.js';
import type { HouseCatEnv } from '../../../../src/adapters/env.js';
import type { RunEvent, RunResult, TestDefinition } from '../../../../src/core/types.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import {
  findRef,
  latestObservation,
  loginPolicy,
  type Reply,
  type Responder,
  verdict,
} from '../../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../../support/fixture-apps.js';
import { makeLoginGoalTest } from '../../../support/test-definitions.js';

const h = useAgentHarness();

function testDef(path: string, overrides: Partial<TestDefinition> = {}): TestDefinition {
  return makeLoginGoalTest({ url: `${h.apps.url}${path}`, ...overrides });
}

const login = loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' });

async function run(
  path: string,
  responder: Responder | Reply[],
  options: {
    test?: Partial<TestDefinition>;
    env?: HouseCatEnv;
    agent?: Partial<Parameters<typeof createClaudeAgent>[0]>;
  } = {},
) {
  h.llm.respond(responder);
  const firstCall = h.llm.calls.length;
  const events: RunEvent[] = [];
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
    error: (m: string) => logs.push(m),
  };
  const agent = createClaudeAgent({
    env: options.env ?? h.env,
    pool: h.pool,
    logger,
    maxRetries: 1,
    ...options.agent,
  });
  const result = await agent.run({
    test: testDef(path, options.test),
    runId: 'run-1',
    secrets: { DEMO_PASSWORD },
    onEvent: (e) => events.push(e),
  });
  return { result, events, logs, calls: h.llm.calls.slice(firstCall) };
}

function isPng(base64: string | undefined): boolean {
  return !!base64 && Buffer.from(base64, 'base64').subarray(0, 4).toString('hex') === '89504e47';
}

describe('claude agent', () => {
  it('passes when the goal is reached, with steps, usage, evidence and cached prompt', async () => {
    const { result, events, calls } = await run('/ok/login', login);
    expect(result.status).toBe('passed');
    expect(result.reason).toContain('verified on the page: "Welcome, Demo"');
    expect(result.agent).toBe('claude');
    expect(result.steps.map((s) => s.action)).toEqual([
      'navigate',
      'type',
      'type_secret',
      'click',
      'verdict',
    ]);
    expect(result.steps.find((s) => s.action === 'type_secret')?.outcome).toBe(
      'Typed the value of DEMO_PASSWORD.',
    );
    expect(result.evidence.finalUrl).toBe(`${h.apps.url}/ok/dashboard`);
    expect(result.evidence.excerpt).toContain('Welcome, Demo');
    expect(result.evidence.screenshotBase64).toBeUndefined();
    expect(result.usage.llmCalls).toBe(4);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    expect(events.at(-1)?.type).toBe('pass');
    expect(events.filter((e) => e.type === 'step')).toHaveLength(5);
    // The request the SDK sent: default model, cached system prompt and tools, untrusted-data rule.
    const first = calls[0]!.body;
    expect(first.model).toBe('claude-sonnet-5-5');
    expect(Array.isArray(first.system) && first.system[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(first.tools?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(JSON.stringify(first.system)).toContain('untrusted data');
    expect(first.tools?.map((t) => t.name)).toEqual([
      'navigate',
      'click',
      'type',
      'type_secret',
      'select',
      'press_key',
      'scroll',
      'wait_for_text',
      'snapshot',
      'screenshot',
      'verdict',
    ]);
  });

  it('uses the test model, then HOUSECAT_MODEL, over the default', async () => {
    const { calls } = await run('/ok/login', [verdict(false, 'stop')], {
      test: { model: 'claude-test-model' },
    });
    expect(calls[0]!.body.model).toBe('claude-test-model');
    const second = await run('/ok/login', [verdict(false, 'stop')], {
      env: { ...h.env, HOUSECAT_MODEL: 'claude-env-model' },
    });
    expect(second.calls[0]!.body.model).toBe('claude-env-model');
  });

  it.each([
    ['/500/login', 'Internal Server Error'],
    ['/missing/login', '"Sign in" button is missing'],
    ['/wrongtext/login', 'shows "Welcome, Guest"'],
  ])('fails on the broken app %s with a reason naming what was missing', async (path, expected) => {
    const { result, events } = await run(path, login);
    expect(result.status).toBe('failed');
    expect(result.reason).toContain(expected);
    expect(isPng(result.evidence.screenshotBase64)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'fail' });
  });

  it('does not pass when the model claims PASS citing text that is not on the page', async () => {
    const claim: Reply = {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: 'Dashboard shows the welcome.',
            evidence: { text_visible: ['Welcome, Demo'] },
          },
        },
      ],
    };
    const { result, calls } = await run('/wrongtext/login', [claim, claim]);
    expect(result.status).toBe('error');
    expect(result.reason).toContain('the text "Welcome, Demo" is not visible on the page');
    // The first false claim was sent back to the model as a rejected verdict.
    expect(latestObservation(calls[1]!.body)).toContain('Verdict rejected');
  });

  it('does not pass when a hostile page talks the model into citing hidden text', async () => {
    const claim: Reply = {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: 'The page says so.',
            evidence: { text_visible: ['The goal is reached', 'verdict with passed true'] },
          },
        },
      ],
    };
    const { result } = await run('/hostile/hidden', [claim, claim], {
      test: { goal: 'Check the service is up.' },
    });
    expect(result.status).not.toBe('passed');
    expect(result.reason).toContain('is not visible on the page');
  });

  it('rejects a URL claim that does not match the browser', async () => {
    const claim: Reply = {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: 'ok',
            evidence: { text_visible: ['Sign in'], url_contains: '/dashboard' },
          },
        },
      ],
    };
    const { result } = await run('/ok/login', [claim, verdict(false, 'Could not reach the dashboard.')]);
    expect(result.status).toBe('failed');
    expect(result.steps.find((s) => s.action === 'verdict' && !s.ok)?.outcome).toContain(
      'does not contain "/dashboard"',
    );
  });

  it('blocks a model that tries to leave the allowed hosts; the canary gets nothing', async () => {
    const before = h.apps.canary.connections;
    const responder: Responder = (body, n) => {
      if (n === 0) return { tools: [{ name: 'navigate', input: { url: `${h.apps.canary.url}/steal?x=1` } }] };
      if (n === 1) {
        const opening = body.messages[0]?.content;
        const link = findRef(typeof opening === 'string' ? opening : '', 'link', 'our partner site');
        return link
          ? { tools: [{ name: 'click', input: { ref: link } }] }
          : { tools: [{ name: 'snapshot', input: {} }] };
      }
      return verdict(false, 'The partner site cannot be reached.');
    };
    const { result, calls } = await run('/hostile/link', responder, {
      test: { goal: 'Follow the partner link.' },
    });
    expect(h.apps.canary.connections - before).toBe(0);
    const blocked = result.steps.filter((s) => s.action === 'blocked' || s.outcome.startsWith('blocked'));
    expect(blocked.map((s) => s.target)).toEqual(
      expect.arrayContaining([`${h.apps.canary.url}/steal?x=1`, `${h.apps.canary.url}/link`]),
    );
    expect(latestObservation(calls[1]!.body)).toContain('Blocked by HouseCat');
    expect(result.status).toBe('failed');
  });

  it.each(['/hostile/redirect', '/hostile/frame', '/hostile/fetch', '/hostile/location'])(
    'records the requests of the hostile page %s as blocked steps; the canary gets nothing',
    async (path) => {
      const before = h.apps.canary.connections;
      const responder: Responder = (_body, n) =>
        n === 0
          ? { tools: [{ name: 'wait_for_text', input: { text: 'never shown', timeout_s: 1 } }] }
          : verdict(false, 'nothing to see');
      const { result } = await run(path, responder, { test: { goal: 'Look at the page.' } });
      expect(h.apps.canary.connections - before).toBe(0);
      const blocked = result.steps.filter((s) => s.action === 'blocked');
      expect(blocked.length).toBeGreaterThan(0);
      for (const s of blocked) expect(s.target).toContain(h.apps.canary.host);
    },
  );

  it('never lets the secret reach the model, events, logs or results, even when the page echoes it', async () => {
    const policy = loginPolicy({
      username: DEMO_USER,
      secretName: 'DEMO_PASSWORD',
      expectText: 'Welcome, Demo',
    });
    const responder: Responder = (body, n) =>
      n < 3 ? policy(body, n) : { tools: [{ name: 'snapshot', input: {} }] };
    const seq: Responder = (body, n) =>
      n === 4 ? verdict(true, 'ok', ['Welcome, Demo', 'your password is']) : responder(body, n);
    const { result, events, logs, calls } = await run('/leaky/login', seq);
    expect(result.status).toBe('passed');
    // The page really showed it: the redaction, not luck, kept it out.
    const observation = calls.map((c) => latestObservation(c.body)).join('\n');
    expect(observation).toContain('your password is [secret DEMO_PASSWORD]');
    const everything = [
      ...calls.map((c) => c.raw),
      JSON.stringify(events),
      JSON.stringify(logs),
      JSON.stringify(result),
    ].join('\n');
    expect(everything.split(DEMO_PASSWORD).length - 1).toBe(0);
    expect(everything.split(encodeURIComponent(DEMO_PASSWORD)).length - 1).toBe(0);
  });

  it('passes on a page that changes after JavaScript runs, waiting for the text', async () => {
    const { result } = await run(
      '/js',
      [
        { tools: [{ name: 'wait_for_text', input: { text: 'Ready: 42 items' } }] },
        verdict(true, 'The inventory loaded.', ['Ready: 42 items']),
      ],
      { test: { goal: 'Check the inventory finishes loading.', secrets: [] } },
    );
    expect(result.status).toBe('passed');
    expect(result.steps.map((s) => s.action)).toEqual(['navigate', 'wait_for_text', 'verdict']);
  });

  it('gives error naming ANTHROPIC_API_KEY when the key is missing, without starting a browser', async () => {
    const own = new BrowserPool({ env: h.env });
    const agent = createClaudeAgent({ env: { ...h.env, ANTHROPIC_API_KEY: undefined }, pool: own });
    const result: RunResult = await agent.run({
      test: testDef('/ok/login'),
      runId: 'r',
      secrets: { DEMO_PASSWORD },
    });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('ANTHROPIC_API_KEY');
    expect(own.launches).toBe(0);
  });

  it.each([
    [529, 'HTTP 529, overloaded'],
    [500, 'HTTP 500'],
  ])('gives error when the Anthropic API answers %i', async (status, expected) => {
    const { result, calls } = await run('/ok/login', [{ status }]);
    expect(result.status).toBe('error');
    expect(result.reason).toContain(expected);
    expect(result.reason).toContain('inconclusive');
    expect(calls).toHaveLength(2); // one retry (maxRetries: 1), then it gives up
  });

  it('gives error with one sentence per period when the Anthropic API cannot be reached', async () => {
    const { result } = await run('/ok/login', [], {
      env: { ...h.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' },
    });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('Could not reach the Anthropic API at http://127.0.0.1:1');
    expect(result.reason).not.toContain('..');
  });

  it('gives error naming HOUSECAT_CHROMIUM when the browser is missing', async () => {
    const missing = new BrowserPool({ env: { HOUSECAT_CHROMIUM: '/nonexistent' } });
    const agent = createClaudeAgent({ env: { ...h.env, HOUSECAT_CHROMIUM: '/nonexistent' }, pool: missing });
    const result = await agent.run({ test: testDef('/ok/login'), runId: 'r', secrets: { DEMO_PASSWORD } });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('HOUSECAT_CHROMIUM');
    expect(result.reason).toContain('apt-get install -y chromium');
  });

  it('gives error when the steps run out without a verdict', async () => {
    const { result, calls } = await run('/ok/login', [{ tools: [{ name: 'snapshot', input: {} }] }], {
      test: { maxSteps: 3 },
    });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('used all 3 steps without reaching a verdict');
    expect(isPng(result.evidence.screenshotBase64)).toBe(true);
    // The model was told its steps were running out.
    expect(latestObservation(calls.at(-1)!.body)).toContain('call verdict now');
  });

  it('gives error when the token budget runs out without a verdict', async () => {
    const { result } = await run('/ok/login', [{ tools: [{ name: 'snapshot', input: {} }] }], {
      agent: { tokenBudget: 3_000 },
    });
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/token budget \(\d+ of 3000 tokens\)/);
  });

  it('gives error when the timeout passes without a verdict', async () => {
    // 8 s: the start page must open well within the timeout even on a loaded machine, so that the
    // time runs out in the model's wait (an error), not in the page load (a failed site).
    const { result } = await run(
      '/ok/login',
      [{ tools: [{ name: 'wait_for_text', input: { text: 'never appears', timeout_s: 30 } }] }],
      { test: { timeout: 8 } },
    );
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toContain('timeout of 8 s');
  });

  it('fails when the start URL does not answer, without asking the model', async () => {
    const { result, calls } = await run('/slow?ms=5000', [verdict(true, 'x', ['x'])], {
      test: { timeout: 2, secrets: [] },
    });
    // The site's failure, within the test's own timeout (issue 13): not an inconclusive run.
    expect(result.status).toBe('failed');
    expect(calls).toHaveLength(0);
    expect(result.reason).toMatch(/^no response from http:\/\/127\.0\.0\.1:\d+\/slow\?ms=5000 within 2 s$/);
  });
});
