import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../src/adapters/agent/index.js';
import { BrowserPool } from '../../../src/adapters/browser/index.js';
import type { HouseCatEnv } from '../../../src/adapters/env.js';
import { runTestParts, runTests } from '../../../src/app/run-tests.js';
import { systemClock } from '../../../src/core/ports.js';
import { checkEnvironment } from '../../../src/core/run/environment-check.js';
import type { RunEvent, TestDefinition } from '../../../src/core/types.js';
import {
  type AnthropicServer,
  loginPolicy,
  startAnthropicServer,
  verdict,
} from '../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER, type FixtureApps, startFixtureApps } from '../../support/fixture-apps.js';
import { requireChromium } from '../../support/system.js';
import { makeTest } from '../../support/test-definitions.js';
import { startTinyFishServer, type TinyFishServer } from '../../support/tinyfish-server.js';

let apps: FixtureApps;
let llm: AnthropicServer;
let tinyfish: TinyFishServer;
let pool: BrowserPool;
let env: HouseCatEnv;

beforeAll(async () => {
  const chromium = requireChromium();
  apps = await startFixtureApps();
  llm = await startAnthropicServer();
  tinyfish = await startTinyFishServer();
  env = {
    ANTHROPIC_API_KEY: llm.apiKey,
    ANTHROPIC_BASE_URL: llm.url,
    TINYFISH_API_KEY: tinyfish.apiKey,
    TINYFISH_URL: tinyfish.url,
    HOUSECAT_CHROMIUM: chromium,
    HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  };
  pool = new BrowserPool({ env });
});

afterAll(async () => {
  await pool?.close();
  await llm?.close();
  await tinyfish?.close();
  await apps?.close();
});

const GOAL = 'Sign in as demo with the DEMO_PASSWORD secret and check the dashboard says "Welcome, Demo".';

function loginTest(variant: string, overrides: Partial<TestDefinition> = {}): TestDefinition {
  return makeTest('login', {
    url: `${apps.url}/${variant}/login`,
    agent: 'claude',
    goal: GOAL,
    secrets: ['DEMO_PASSWORD'],
    expect: { status: 200, text: ['Sign in'] },
    ...overrides,
  });
}

async function run(test: TestDefinition, options: { env?: HouseCatEnv } = {}) {
  const events: RunEvent[] = [];
  const agent = createAgent({ env: options.env ?? env, pool, textWaitMs: 1000 });
  // Through the run policy, as runTests calls it: checks first, then the AI backend.
  const result = await runTestParts(agent, systemClock, {
    test,
    runId: 'run-1',
    secrets: { DEMO_PASSWORD },
    onEvent: (e) => events.push(e),
  });
  return { result, events };
}

describe('createAgent', () => {
  it('runs a checks test with the checks backend and no key', async () => {
    const { ANTHROPIC_API_KEY: _a, TINYFISH_API_KEY: _t, ...noKeys } = env;
    const { result } = await run(
      makeTest('c', { url: `${apps.url}/ok/login`, expect: { text: ['Sign in'] } }),
      {
        env: noKeys,
      },
    );
    expect(result.status, result.reason).toBe('passed');
    expect(result.agent).toBe('checks');
  });

  it('runs only the checks for a test without a goal, even with agent claude and no key', async () => {
    const { ANTHROPIC_API_KEY: _a, ...noKey } = env;
    const calls = llm.calls.length;
    const { result } = await run(loginTest('ok', { goal: undefined }), { env: noKey });
    expect(result.status, result.reason).toBe('passed');
    expect(llm.calls.length).toBe(calls);
  });

  it('skips the AI agent when the checks fail: the model is never called', async () => {
    const calls = llm.calls.length;
    llm.respond([verdict(true, 'should never be asked')]);
    const { result, events } = await run(loginTest('500'));
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      /^expected status 200, got 500; text "Sign in" not found on the page; the page shows: /,
    );
    expect(result.steps.at(-1)).toMatchObject({
      action: 'agent:claude',
      outcome: 'not run: the checks failed',
      ok: false,
    });
    expect(llm.calls.length).toBe(calls);
    expect(events.filter((e) => e.type !== 'step').map((e) => e.type)).toEqual(['fail']);
  });

  it('runs the checks, then the claude agent, and reports one verdict', async () => {
    llm.respond(
      loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' }),
    );
    const calls = llm.calls.length;
    const { result, events } = await run(loginTest('ok'));
    expect(result.status, result.reason).toBe('passed');
    expect(result.agent).toBe('claude');
    expect(llm.calls.length).toBeGreaterThan(calls);
    const actions = result.steps.map((s) => s.action);
    expect(actions.slice(0, 3)).toEqual(['navigate', 'check:status', 'check:text']);
    expect(actions).toContain('verdict');
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    // The checks' pass is a progress step; the run has exactly one final event.
    expect(events.filter((e) => e.type !== 'step').map((e) => e.type)).toEqual(['pass']);
    expect(events.some((e) => e.message.startsWith('checks passed: '))).toBe(true);
    expect(JSON.stringify({ result, events })).not.toContain(DEMO_PASSWORD);
  });

  it('returns error naming ANTHROPIC_API_KEY for a goal test without a key', async () => {
    const { ANTHROPIC_API_KEY: _a, ...noKey } = env;
    const { result } = await run(loginTest('ok', { expect: undefined }), { env: noKey });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('ANTHROPIC_API_KEY is not set');
  });

  it('skips a goal test without a key when asked to, and still runs its checks', async () => {
    const { ANTHROPIC_API_KEY: _a, ...noKey } = env;
    const tests = [loginTest('ok', { expect: undefined }), loginTest('ok'), loginTest('500')].map((t, i) => ({
      ...t,
      id: `${t.id}-${i}`,
      slug: `${t.slug}-${i}`,
    }));
    const { skipAi, problems } = checkEnvironment(tests, {
      anthropicKey: false,
      tinyfishKey: false,
      allowPrivateNetwork: true,
      skipWithoutKey: true,
    });
    expect(problems).toEqual([]);
    const agent = createAgent({ env: noKey, pool, textWaitMs: 1000 });
    const calls = llm.calls.length;
    const { results } = await runTests(
      { agent },
      { tests, source: { kind: 'cli' }, skipAi, secrets: { DEMO_PASSWORD } },
    );
    const [goalOnly, passing, failing] = results;
    expect(goalOnly?.status).toBe('skipped');
    expect(goalOnly?.reason).toBe('AI goal not run: ANTHROPIC_API_KEY is not set');
    expect(passing?.status).toBe('skipped');
    expect(passing?.reason).toBe('checks passed; AI goal not run: ANTHROPIC_API_KEY is not set');
    expect(passing?.steps.map((s) => s.action)).toEqual(['navigate', 'check:status', 'check:text']);
    expect(failing?.status).toBe('failed');
    expect(llm.calls.length).toBe(calls);
  });

  it('dispatches agent tinyfish to TinyFish', async () => {
    tinyfish.script({ kind: 'fail', reason: 'No dashboard after login' });
    const before = tinyfish.requests.length;
    const { result } = await run(loginTest('ok', { agent: 'tinyfish', secrets: [], expect: undefined }));
    expect(result.status).toBe('failed');
    expect(result.agent).toBe('tinyfish');
    expect(result.reason).toBe('No dashboard after login');
    expect(tinyfish.requests.length).toBe(before + 1);
  });

  it('refuses a loopback test URL without HOUSECAT_ALLOW_PRIVATE_NETWORK, for every backend', async () => {
    const { HOUSECAT_ALLOW_PRIVATE_NETWORK: _p, ...publicOnly } = env;
    const served = apps.requests.length;
    const calls = llm.calls.length;
    const tinyfishCalls = tinyfish.requests.length;
    for (const agent of ['checks', 'claude', 'tinyfish'] as const) {
      const test = loginTest('ok', { agent, secrets: agent === 'tinyfish' ? [] : ['DEMO_PASSWORD'] });
      const { result } = await run(agent === 'checks' ? { ...test, goal: undefined } : test, {
        env: publicOnly,
      });
      expect(result.status, agent).toBe('error');
      expect(result.reason, agent).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK');
    }
    expect(apps.requests.length).toBe(served);
    expect(llm.calls.length).toBe(calls);
    expect(tinyfish.requests.length).toBe(tinyfishCalls);
  });

  it('returns error for an unknown agent', async () => {
    const { result } = await run(loginTest('ok', { agent: 'robot' as TestDefinition['agent'] }));
    expect(result.status).toBe('error');
    expect(result.reason).toContain('agent "robot"');
  });
});
