/**
 * Replay end to end below the runner: the real SDK against the Anthropic stand-in, real Chromium,
 * the fixture login app (its `/live` prefix changes behaviour between runs) and scripts stored in
 * the real redis-server.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../../src/adapters/agent/index.js';
import type { RunEvent, TestDefinition } from '../../../../src/core/types.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import { loginPolicy, type Reply, type Responder, verdict } from '../../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../../support/fixture-apps.js';
import { LOGIN_GOAL, makeLoginGoalTest } from '../../../support/test-definitions.js';

const h = useAgentHarness({ replay: 'replay' });

function loginTest(overrides: Partial<TestDefinition> = {}): TestDefinition {
  return makeLoginGoalTest({ url: `${h.apps.url}/live/login`, ...overrides });
}

const model = loginPolicy({
  username: DEMO_USER,
  secretName: 'DEMO_PASSWORD',
  expectText: 'Welcome, Demo',
  buttons: ['Sign in', 'Log in'],
});

/**
 * A wait for a button the page no longer has: shorter than the 5 s default, since it can only run
 * out. Not much shorter: it is every step's wait, and on a loaded machine filling the username (a
 * step that must succeed) took over 500 ms (CI, three workers on two cores).
 */
const GONE = { elementWaitMs: 2_000 };

async function run(
  responder: Responder | Reply[],
  test = loginTest(),
  extra: { replay?: boolean; elementWaitMs?: number } = {},
) {
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const events: RunEvent[] = [];
  const { elementWaitMs, ...input } = extra;
  const agent = createAgent({
    env: h.env,
    pool: h.pool,
    replay: h.scripts,
    ...(elementWaitMs !== undefined ? { elementWaitMs } : {}),
  });
  const result = await agent.run({
    test,
    runId: `run-${Math.random().toString(36).slice(2, 8)}`,
    secrets: { DEMO_PASSWORD },
    onEvent: (e) => events.push(e),
    ...input,
  });
  return { result, events, calls: h.llm.calls.length - first };
}

/** Every value under this test's key prefix, as raw text. */
async function redisDump(): Promise<string> {
  const keys = (await h.store.transport.command('test', ['KEYS', `${h.prefix}*`])) as string[];
  const parts: string[] = [];
  for (const key of keys) {
    const type = await h.store.transport.command('test', ['TYPE', key]);
    if (type === 'hash')
      parts.push(JSON.stringify(await h.store.transport.command('test', ['HGETALL', key])));
  }
  return parts.join('\n');
}

describe('replay', () => {
  it('calls the model on the first run and replays with 0 requests on the second', async () => {
    const first = await run(model);
    expect(first.result.status).toBe('passed');
    expect(first.result.mode).toBe('agent');
    expect(first.calls).toBe(4);
    const script = await h.scripts.get('acme--shop--login');
    expect(script?.steps.map((s) => s.action)).toEqual(['type', 'type_secret', 'click']);
    expect(script?.steps[2]).toMatchObject({ target: { by: 'role', role: 'button', name: 'Sign in' } });
    expect(script?.steps[2]?.after).toBe(`${h.apps.url}/live/dashboard`);
    expect(script?.evidence.textVisible).toEqual(['Welcome, Demo']);
    expect(script?.model).toBe('claude-sonnet-5-5');

    const second = await run([verdict(false, 'the model must not be asked')]);
    expect(second.calls).toBe(0);
    expect(second.result.status).toBe('passed');
    expect(second.result.mode).toBe('replay');
    expect(second.result.usage).toEqual({ llmCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(second.result.steps.at(-1)?.outcome).toContain('verified on the page: "Welcome, Demo"');
    expect(second.events.at(-1)?.type).toBe('pass');
    expect((await h.scripts.get('acme--shop--login'))?.lastVerifiedAt).toBeGreaterThan(0);
  });

  it('runs the agent and fails, naming the divergence, when the app answers 500', async () => {
    await run(model);
    h.apps.setLive('500');
    const broken = await run(model);
    expect(broken.calls).toBeGreaterThan(0);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toMatch(/^replay: the page answered HTTP 500 at step 0\. Agent: /);
    // The old script stays: the site is broken, not changed.
    expect((await h.scripts.get('acme--shop--login'))?.steps).toHaveLength(3);
  });

  it('fails, never passes, when the dashboard text is missing', async () => {
    await run(model);
    h.apps.setLive('wrongtext');
    const broken = await run(model);
    expect(broken.result.status).toBe('failed');
    // The divergence names the missing text, shows what the page showed instead, and the step.
    expect(broken.result.reason).toMatch(
      /^replay: the recorded evidence does not hold: the text "Welcome, Demo" is not visible on the page; the page shows: ".*Welcome, Guest.*" at step 4\. /,
    );
    expect(broken.result.reason).toContain('Agent: Expected "Welcome, Demo" after signing in');
  });

  it('names the missing button and its step when the button is gone', async () => {
    await run(model);
    h.apps.setLive('missing');
    const broken = await run(model, loginTest(), GONE);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toContain("replay: button 'Sign in' not found at step 3");
  });

  it('heals a renamed button, then replays the new script with 0 calls', async () => {
    await run(model);
    h.apps.setLive('renamed');
    const healed = await run(model, loginTest(), GONE);
    expect(healed.calls).toBeGreaterThan(0);
    expect(healed.result.status).toBe('passed');
    expect(healed.result.mode).toBe('healed');
    expect(healed.result.reason).toContain("button 'Sign in' not found at step 3");
    expect(
      healed.events.some((e) => e.message.includes("replay diverged: button 'Sign in' not found at step 3")),
    ).toBe(true);
    expect((await h.scripts.get('acme--shop--login'))?.steps[2]).toMatchObject({
      target: { by: 'role', role: 'button', name: 'Log in' },
    });

    const next = await run([verdict(false, 'the model must not be asked')]);
    expect(next.calls).toBe(0);
    expect(next.result.mode).toBe('replay');
    expect(next.result.status).toBe('passed');
  });

  it('leaves no script when a lying model claims a pass on a broken page', async () => {
    h.apps.setLive('500');
    const lie = verdict(true, 'All good, logged in.', ['Welcome, Demo']);
    const lied = await run([lie, lie]);
    expect(lied.result.status).not.toBe('passed');
    expect(await h.scripts.get('acme--shop--login')).toBeNull();
  });

  it('does not use the script after the goal changed, and records a new one', async () => {
    await run(model);
    const changed = loginTest({ goal: `${LOGIN_GOAL} Then stay on the dashboard.` });
    const after = await run(model, changed);
    expect(after.calls).toBe(4);
    expect(after.result.mode).toBe('agent');
    expect(after.events[0]?.message).toContain('recorded script not used: the test changed');
    const again = await run([verdict(false, 'the model must not be asked')], changed);
    expect(again.calls).toBe(0);
    expect(again.result.mode).toBe('replay');
  });

  it('runs the agent when replay is turned off for the run or the test', async () => {
    await run(model);
    expect((await run(model, loginTest(), { replay: false })).calls).toBe(4);
    const off = await run(model, loginTest({ replay: false }));
    expect(off.calls).toBe(4);
    expect(off.result.mode).toBe('agent');
  });

  it('keeps the secret value out of the script and out of Redis', async () => {
    await run(model);
    await run(model);
    const script = await h.scripts.get('acme--shop--login');
    expect(script?.steps[1]).toMatchObject({ action: 'type_secret', secret: 'DEMO_PASSWORD' });
    const dump = await redisDump();
    expect(dump).toContain('type_secret');
    expect(dump).not.toContain(DEMO_PASSWORD);
  });
});
