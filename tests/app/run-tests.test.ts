import { describe, expect, it } from 'vitest';
import { type RunReporter, runTestParts, runTests } from '../../src/app/run-tests.js';
import type { Agent, AgentRunInput } from '../../src/core/ports.js';
import { parseBaseUrl } from '../../src/core/run/base-url.js';
import type { RunResult, RunStatus } from '../../src/core/types.js';
import { makeTest } from '../support/test-definitions.js';

/** An Agent (our own port) whose verdicts are scripted per test slug and attempt. */
function scriptedAgent(script: Record<string, RunStatus[]>, delayMs = 20) {
  const calls: AgentRunInput[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const agent: Agent = {
    async run(input) {
      calls.push(input);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      input.onEvent?.({ type: 'step', message: `open ${input.test.url}`, at: Date.now() });
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight--;
      const attempt = calls.filter((c) => c.test.id === input.test.id).length;
      const statuses = script[input.test.slug] ?? ['passed'];
      const status = statuses[Math.min(attempt, statuses.length) - 1] as RunStatus;
      return {
        runId: input.runId,
        testId: input.test.id,
        status,
        reason: `${status} on attempt ${attempt}`,
        agent: input.test.agent,
        startedAt: Date.now(),
        durationMs: delayMs,
        steps: [
          { action: 'navigate', target: input.test.url, outcome: status, ok: status === 'passed', at: 0 },
        ],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      } satisfies RunResult;
    },
  };
  return { agent, calls, maxInFlight: () => maxInFlight };
}

const source = { kind: 'cli' as const, branch: 'main' };

describe('runTests', () => {
  it('runs at most `concurrency` tests at once and keeps results in test order', async () => {
    const tests = Array.from({ length: 9 }, (_, i) => makeTest(`t${i}`));
    const { agent, maxInFlight } = scriptedAgent({ t3: ['failed'] });
    const outcome = await runTests({ agent }, { tests, concurrency: 3, source });
    expect(maxInFlight()).toBe(3);
    expect(outcome.results.map((r) => r.testId)).toEqual(tests.map((t) => t.id));
    expect(outcome.counts).toEqual({ passed: 8, failed: 1, error: 0, skipped: 0 });
    expect(outcome.results.every((r) => r.source?.branch === 'main')).toBe(true);
  });

  it('retries error results per test.retries and stops at the first conclusive one', async () => {
    const flaky = makeTest('flaky', { retries: 2 });
    const stuck = makeTest('stuck', { retries: 1 });
    const broken = makeTest('broken', { retries: 3 });
    const { agent, calls } = scriptedAgent({
      flaky: ['error', 'passed'],
      stuck: ['error'],
      broken: ['failed'],
    });
    const { results } = await runTests({ agent }, { tests: [flaky, stuck, broken], source });
    expect(results.map((r) => [r.status, r.attempt])).toEqual([
      ['passed', 2],
      ['error', 2],
      ['failed', 1],
    ]);
    expect(calls.filter((c) => c.test.slug === 'broken')).toHaveLength(1);
  });

  it('gives the agent the rebased test and the base URL', async () => {
    const { agent, calls } = scriptedAgent({});
    const test = makeTest('login', { allowedHosts: ['shop.example.com'] });
    await runTests({ agent }, { tests: [test], baseUrl: parseBaseUrl('http://127.0.0.1:9999'), source });
    expect(calls[0]?.test.url).toBe('http://127.0.0.1:9999/login?ref=ci');
    expect(calls[0]?.test.allowedHosts).toEqual(['127.0.0.1:9999']);
    expect(calls[0]?.baseUrl).toBe('http://127.0.0.1:9999');
  });

  it('skips goal-only AI tests and runs the checks of mixed ones when skipAi gives a reason', async () => {
    const goalOnly = makeTest('goal', { agent: 'claude', goal: 'log in', expect: undefined });
    const mixed = makeTest('mixed', { agent: 'claude', goal: 'log in' });
    const mixedBroken = makeTest('mixed-broken', { agent: 'claude', goal: 'log in' });
    const checks = makeTest('checks');
    const { agent, calls } = scriptedAgent({ 'mixed-broken': ['failed'] });
    const { results, counts } = await runTests(
      { agent },
      {
        tests: [goalOnly, mixed, mixedBroken, checks],
        source,
        skipAi: new Map([goalOnly, mixed, mixedBroken].map((t) => [t.id, 'no key'])),
      },
    );
    expect(results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'failed', 'passed']);
    expect(results[0]?.reason).toBe('AI goal not run: no key');
    expect(results[1]?.reason).toBe('checks passed; AI goal not run: no key');
    expect(calls.map((c) => [c.test.slug, c.test.agent, c.test.goal])).toEqual([
      ['mixed', 'checks', undefined],
      ['mixed-broken', 'checks', undefined],
      ['checks', 'checks', undefined],
    ]);
    expect(counts.skipped).toBe(2);
  });

  it('reports tests not started before an abort as skipped', async () => {
    const controller = new AbortController();
    const tests = Array.from({ length: 4 }, (_, i) => makeTest(`t${i}`));
    const { agent } = scriptedAgent({}, 50);
    const reporter: RunReporter = { testFinished: () => controller.abort() };
    const { results } = await runTests(
      { agent },
      { tests, concurrency: 1, source, signal: controller.signal, reporter },
    );
    expect(results.map((r) => r.status)).toEqual(['passed', 'skipped', 'skipped', 'skipped']);
    expect(results[1]?.reason).toMatch(/cancelled/);
  });

  it('turns an agent that throws into an error result naming the crash', async () => {
    const agent: Agent = {
      run: async () => {
        throw new Error('boom');
      },
    };
    const { results } = await runTests({ agent }, { tests: [makeTest('x')], source });
    expect(results[0]).toMatchObject({ status: 'error', reason: 'the agent crashed: boom' });
  });

  it('forwards events to the reporter with their test', async () => {
    const seen: string[] = [];
    const { agent } = scriptedAgent({});
    await runTests(
      { agent },
      { tests: [makeTest('a')], source, reporter: { event: (t, e) => seen.push(`${t.slug}:${e.message}`) } },
    );
    expect(seen).toEqual(['a:open https://shop.example.com/a?ref=ci']);
  });
});

describe('runTestParts (the run policy)', () => {
  /** An agent whose checks take `checksMs` on a manual clock and pass or fail as told. */
  function partsAgent(checksStatus: RunStatus, checksMs: number) {
    let now = 1_000_000;
    const clock = { now: () => now };
    const goalInputs: AgentRunInput[] = [];
    const result = (input: AgentRunInput, status: RunStatus, action: string): RunResult => ({
      runId: input.runId,
      testId: input.test.id,
      status,
      reason: `${action} ${status}`,
      agent: input.test.agent,
      startedAt: now,
      durationMs: 0,
      steps: [{ action, outcome: status, ok: status === 'passed', at: now }],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    });
    const agent: Agent = {
      async checks(input) {
        const started = result(input, checksStatus, 'check:status');
        now += checksMs;
        return started;
      },
      async run(input) {
        goalInputs.push(input);
        return result(input, 'passed', 'verdict');
      },
    };
    return { agent, clock, goalInputs };
  }
  const goalTest = makeTest('both', {
    agent: 'claude',
    goal: 'sign in',
    expect: { status: 200 },
    timeout: 60,
  });

  it('gives the AI part what the checks left of the deadline and merges the steps', async () => {
    const { agent, clock, goalInputs } = partsAgent('passed', 4000);
    const merged = await runTestParts(agent, clock, { test: goalTest, runId: 'r', timeLimitMs: 30_000 });
    expect(goalInputs.map((i) => i.timeLimitMs)).toEqual([26_000]);
    expect(merged.steps.map((s) => s.action)).toEqual(['check:status', 'verdict']);
    expect(merged.status).toBe('passed');
  });

  it('does not run the AI part when the checks fail', async () => {
    const { agent, clock, goalInputs } = partsAgent('failed', 10);
    const result = await runTestParts(agent, clock, { test: goalTest, runId: 'r' });
    expect(goalInputs).toEqual([]);
    expect(result.steps.at(-1)).toMatchObject({
      action: 'agent:claude',
      outcome: 'not run: the checks failed',
    });
  });

  it('runs only the checks of a test without a goal', async () => {
    const { agent, clock, goalInputs } = partsAgent('passed', 10);
    const result = await runTestParts(agent, clock, { test: { ...goalTest, goal: undefined }, runId: 'r' });
    expect(goalInputs).toEqual([]);
    expect(result.steps.map((s) => s.action)).toEqual(['check:status']);
  });
});
