/**
 * Issue 22 for the goal agents: the claude agent and the replayer take their contexts from the same
 * pool as the checks, so a browser that calls home during the run must leave their results as a
 * quiet browser's are (the expectations below are those of claude-agent.test.ts and
 * replay.test.ts), with no step, reason or failed step naming the browser's hosts. Real Chromium,
 * the Anthropic stand-in, the fixture login app and the real redis-server for replay scripts.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../src/adapters/agent/index.js';
import { blockedSteps, failedStep } from '../../../src/core/report/index.js';
import type { RunResult, TestDefinition } from '../../../src/core/types.js';
import { useAgentHarness } from '../../support/agent-harness.js';
import { loginPolicy, type Reply, type Responder, verdict } from '../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../support/fixture-apps.js';
import { BROWSER_HOSTS, NoisyBrowserPool } from '../../support/noisy-browser.js';
import { makeLoginGoalTest } from '../../support/test-definitions.js';

const h = useAgentHarness({ replay: 'noisy', pool: (env) => new NoisyBrowserPool({ env }) });

const model = loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' });

function loginTest(overrides: Partial<TestDefinition> = {}): TestDefinition {
  return makeLoginGoalTest({
    id: 'acme--shop--noisy-login',
    slug: 'noisy-login',
    url: `${h.apps.url}/live/login`,
    ...overrides,
  });
}

async function run(responder: Responder | Reply[], test = loginTest()) {
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const before = { answers: h.pool.answers.length, bursts: h.pool.bursts };
  const agent = createAgent({ env: h.env, pool: h.pool, replay: h.scripts });
  const result = await agent.run({
    test,
    runId: `run-${Math.random().toString(36).slice(2)}`,
    secrets: { DEMO_PASSWORD },
  });
  // The browser called home before the page started and again at its requests; the guard refused
  // every call it answered.
  expect(h.pool.bursts - before.bursts).toBeGreaterThanOrEqual(2);
  const answers = h.pool.answers.slice(before.answers);
  expect(answers.length).toBeGreaterThanOrEqual(BROWSER_HOSTS.length + 1);
  for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  expectNoBrowserHost(result);
  return { result, calls: h.llm.calls.length - first };
}

function expectNoBrowserHost(result: RunResult): void {
  const seen = JSON.stringify([
    result.reason,
    result.steps,
    failedStep(result) ?? null,
    blockedSteps(result),
  ]);
  for (const host of BROWSER_HOSTS) expect(seen, `${host} was blamed on the page`).not.toContain(host);
}

describe('goal agents with a browser that calls home during the run', () => {
  it('passes with the agent, then replays with 0 model calls, as with a quiet browser', async () => {
    const first = await run(model);
    expect(first.result.status, first.result.reason).toBe('passed');
    expect(first.result.mode).toBe('agent');
    expect(first.result.steps.map((s) => s.action)).toEqual([
      'navigate',
      'type',
      'type_secret',
      'click',
      'verdict',
    ]);

    const second = await run([verdict(false, 'the model must not be asked')]);
    expect(second.calls).toBe(0);
    expect(second.result.status, second.result.reason).toBe('passed');
    expect(second.result.mode).toBe('replay');
  });

  it('fails on a 500, naming the status, in the replay and in the agent', async () => {
    await run(model);
    h.apps.setLive('500');
    const broken = await run(model);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toMatch(/^replay: the page answered HTTP 500 at step 0\. Agent: /);
    expect(broken.result.reason).toContain('Internal Server Error');
  });

  it('fails a start URL that does not answer within timeout + 5 s, without asking the model', async () => {
    const started = Date.now();
    const { result, calls } = await run(
      [verdict(true, 'x', ['x'])],
      loginTest({
        id: 'acme--shop--noisy-hung',
        url: `${h.apps.url}/slow?ms=20000`,
        timeout: 2,
        secrets: [],
      }),
    );
    expect(Date.now() - started).toBeLessThan(2000 + 5000);
    expect(result.status, result.reason).toBe('failed');
    expect(calls).toBe(0);
    expect(result.reason).toBe(`no response from ${h.apps.url}/slow?ms=20000 within 2 s`);
  });
});
