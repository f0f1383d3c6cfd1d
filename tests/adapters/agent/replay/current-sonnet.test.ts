/**
 * Issue 22's "done when" for the model: against the Anthropic stand-in behaving like the current
 * Sonnet (thinks by default, signs its thinking, counts it against max_tokens, refuses what the
 * model refuses), a goal that needs six browser actions passes, its recorded replay then passes with
 * zero model calls, and the same test fails when the site breaks. Real SDK, real Chromium, the
 * fixture app, scripts in the real redis-server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../../../src/adapters/agent/index.js';
import { BrowserPool } from '../../../../src/adapters/browser/browser-pool.js';
import type { HouseCatEnv } from '../../../../src/adapters/env.js';
import {
  createRedisReplayStore,
  createTcpStore,
  type RedisStore,
} from '../../../../src/adapters/store/index.js';
import type { ReplayStore } from '../../../../src/core/replay/index.js';
import type { TestDefinition } from '../../../../src/core/types.js';
import { MODEL_BEHAVIOUR } from '../../../support/anthropic-models.js';
import {
  type AnthropicServer,
  agentEnv,
  findRef,
  latestObservation,
  type Responder,
  startAnthropicServer,
  toolsCalled,
  verdict,
} from '../../../support/anthropic-server.js';
import {
  DEMO_PASSWORD,
  DEMO_USER,
  type FixtureApps,
  startFixtureApps,
} from '../../../support/fixture-apps.js';
import { testRedisUrl, uniquePrefix } from '../../../support/redis.js';
import { requireChromium } from '../../../support/system.js';

let apps: FixtureApps;
let llm: AnthropicServer;
let pool: BrowserPool;
let env: HouseCatEnv;
let store: RedisStore;
let scripts: ReplayStore;

beforeAll(async () => {
  apps = await startFixtureApps();
  llm = await startAnthropicServer();
  env = agentEnv(llm, requireChromium());
  pool = new BrowserPool({ env });
});

beforeEach(() => {
  store = createTcpStore({ url: testRedisUrl(), prefix: uniquePrefix('sonnet') });
  scripts = createRedisReplayStore(store);
  apps.setLive('ok');
});

afterAll(async () => {
  await store?.close();
  await pool?.close();
  await llm?.close();
  await apps?.close();
});

const test: TestDefinition = {
  id: 'acme--shop--settings',
  slug: 'settings',
  repo: 'acme/shop',
  name: 'Settings',
  url: '',
  goal: 'Sign in as demo with DEMO_PASSWORD (remember me), check the dashboard says "Welcome, Demo", pick the United States region, then open Settings.',
  timeout: 60,
  retries: 0,
  failureThreshold: 1,
  recoveryThreshold: 1,
  agent: 'claude',
  maxSteps: 25,
  allowedHosts: [],
  secrets: ['DEMO_PASSWORD'],
};

/** The six actions: tool, the element it acts on (role, name), and its other input. */
const PLAN: [string, string, string, Record<string, unknown>][] = [
  ['type', 'textbox', 'Username', { text: DEMO_USER }],
  ['type_secret', 'textbox', 'Password', { name: 'DEMO_PASSWORD' }],
  ['click', 'checkbox', 'Remember me', {}],
  ['click', 'button', 'Sign in', {}],
  ['select', 'combobox', 'Region', { option: 'United States' }],
  ['click', 'link', 'Settings', {}],
];

/** A "model" that needs six actions: two fields, a checkbox, the button, a select and a link. */
const sixActions: Responder = (body) => {
  const seen = latestObservation(body);
  const done = toolsCalled(body).length;
  if (done === 4 && !seen.includes('Welcome, Demo')) {
    const heading = /heading "([^"]+)"/.exec(seen)?.[1] ?? 'no heading';
    return verdict(false, `After signing in the dashboard shows "${heading}", not "Welcome, Demo".`);
  }
  const planned = PLAN[done];
  if (!planned) {
    return {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: 'Signed in, picked the region and opened Settings.',
            evidence: { text_visible: ['settings'], url_contains: '/settings' },
          },
        },
      ],
    };
  }
  const [tool, role, name, input] = planned;
  const ref = findRef(seen, role, name);
  if (!ref) return verdict(false, `The ${role} "${name}" is missing from the page.`);
  return { tools: [{ name: tool, input: { ref, ...input } }] };
};

async function run(responder: Responder) {
  llm.respond(responder);
  const first = llm.calls.length;
  const agent = createAgent({ env, pool, replay: scripts });
  const result = await agent.run({
    test: { ...test, url: `${apps.url}/live/login` },
    runId: `run-${Math.random().toString(36).slice(2, 8)}`,
    secrets: { DEMO_PASSWORD },
  });
  return { result, calls: llm.calls.slice(first) };
}

describe('against the current Sonnet', () => {
  it('passes a six-action goal, replays it with 0 model calls, and fails when the site breaks', async () => {
    expect(MODEL_BEHAVIOUR['claude-sonnet-5-5']?.thinkingByDefault).toBe('adaptive');
    const first = await run(sixActions);
    expect(first.result.reason).not.toContain('max_tokens');
    expect(first.result.status).toBe('passed');
    expect(first.result.mode).toBe('agent');
    expect(first.result.steps.filter((s) => s.action !== 'navigate' && s.action !== 'verdict')).toHaveLength(
      6,
    );
    // Seven model calls, none refused, each with room to think and the lightest thinking 5.5 accepts.
    expect(first.calls.map((c) => c.status)).toEqual(Array(7).fill(200));
    for (const call of first.calls) {
      expect(call.body.model).toBe('claude-sonnet-5-5');
      expect(call.body.thinking).toEqual({ type: 'between_tools' });
      expect(call.body.max_tokens).toBeGreaterThanOrEqual(8_000);
      expect(call.body.max_tokens).toBeLessThanOrEqual(21_333);
    }
    // The model's progress notes came back with their signatures, unchanged, after each tool call.
    const thought = first.calls.flatMap((c) => c.reply?.content.filter((b) => b.type === 'thinking') ?? []);
    expect(thought.length).toBeGreaterThan(0);
    const last = JSON.stringify(first.calls.at(-1)?.body.messages);
    for (const block of thought.slice(0, -1)) expect(last).toContain(JSON.stringify(block));
    expect(first.result.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(first.result.usage.costUsd).toBeGreaterThan(0);

    const replayed = await run(() => ({ status: 500, message: 'the model must not be asked' }));
    expect(replayed.calls).toHaveLength(0);
    expect(replayed.result.status).toBe('passed');
    expect(replayed.result.mode).toBe('replay');

    // The button is gone: the replay diverges at its click, the model runs and reports it.
    apps.setLive('missing');
    const broken = await run(sixActions);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toContain("replay: button 'Sign in' not found");
    expect(broken.result.reason).toContain('The button "Sign in" is missing from the page.');
    expect(broken.calls.every((c) => c.status === 200)).toBe(true);
  });
});
