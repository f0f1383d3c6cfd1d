import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { runTests } from '../../src/app/run-tests.js';
import type { Agent, Store } from '../../src/core/ports.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';

const agent: Agent = {
  async run(input) {
    input.onEvent?.({ type: 'step', message: 'navigate: HTTP 200', at: Date.now() });
    const failed = input.test.slug === 'broken';
    return {
      runId: input.runId,
      testId: input.test.id,
      status: failed ? 'failed' : 'passed',
      reason: failed ? 'expected status 200, got 500' : 'all checks passed',
      agent: 'checks',
      startedAt: Date.now(),
      durationMs: 42,
      steps: [
        {
          action: 'check:status',
          target: '200',
          outcome: failed ? 'got 500' : 'HTTP 200',
          ok: !failed,
          at: 1,
        },
      ],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    };
  },
};

describe('runTests with a store (real redis-server)', () => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('records every result with its source, timing and events, like a scheduled run', async () => {
    const store = createStore({ REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: uniquePrefix('run') });
    if (!store) throw new Error('createStore returned null for REDIS_URL');
    stores.push(store);
    const source = { kind: 'pull_request' as const, branch: 'feature', commit: 'abc123', pr: 7 };
    const tests = [makeTest('login'), makeTest('broken')];
    const outcome = await runTests({ agent, store }, { tests, source });
    expect(outcome.storeErrors).toEqual([]);

    const login = await store.getResults('acme--shop--login');
    expect(login).toHaveLength(1);
    expect(login[0]).toMatchObject({ status: 'passed', source, runId: outcome.results[0]?.runId });
    const broken = await store.getResults('acme--shop--broken');
    expect(broken[0]).toMatchObject({ status: 'failed', reason: 'expected status 200, got 500', source });
    const timings = await store.getTimings('acme--shop--login');
    expect(timings).toHaveLength(1);
    const events = await store.readEvents('acme--shop--login');
    expect(events.map((e) => e.message)).toEqual(['navigate: HTTP 200']);
  });

  it('persists nothing and needs nothing without a store', async () => {
    const outcome = await runTests(
      { agent, store: null },
      { tests: [makeTest('login')], source: { kind: 'cli' } },
    );
    expect(outcome.results[0]?.status).toBe('passed');
    expect(outcome.storeErrors).toEqual([]);
  });

  it('keeps the results when the store fails, with a warning naming the test', async () => {
    const store = createStore(
      { REDIS_URL: 'redis://127.0.0.1:1', HOUSECAT_REDIS_PREFIX: uniquePrefix('down') },
      { timeoutMs: 500 },
    );
    if (!store) throw new Error('createStore returned null for REDIS_URL');
    stores.push(store);
    const warnings: string[] = [];
    const logger = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const outcome = await runTests(
      { agent, store, logger },
      { tests: [makeTest('login')], source: { kind: 'cli' } },
    );
    expect(outcome.results[0]?.status).toBe('passed');
    expect(outcome.storeErrors).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not record the result of acme--shop--login/);
  });
});
