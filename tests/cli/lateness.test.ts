/** `housecat lateness` over a real redis-server: p50/p95/max per scheduled test, as JSON and as a table. */
import { describe, expect, it } from 'vitest';
import { createTcpStore } from '../../src/adapters/store/index.js';
import type { RunResult } from '../../src/core/types.js';
import { runCli, useBuiltCli } from '../support/cli.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

describe('housecat lateness', () => {
  it('prints p50 and p95 lateness of each scheduled test', async () => {
    const prefix = uniquePrefix('lateness');
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    const test = makeTest('home', { schedule: '*/15 * * * *' });
    await store.applySync('acme/shop', {
      upsert: [{ definition: test, contentHash: 'h', updatedAt: 1 }],
      remove: [],
    });
    const now = Date.now();
    for (let i = 1; i <= 20; i++) {
      const result: RunResult = {
        runId: `run-${i}`,
        testId: test.id,
        status: 'passed',
        reason: 'ok',
        agent: 'checks',
        startedAt: now - i * 60_000,
        durationMs: 5,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
        source: { kind: 'schedule' },
        tick: now - i * 60_000 - i * 1000,
        latenessMs: i * 1000,
      };
      await store.recordRun(result, []);
    }
    await store.close();
    const env = { REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: prefix };
    const json = await runCli(['lateness', '--repo', 'acme/shop', '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).tests).toEqual([
      { testId: test.id, schedule: '*/15 * * * *', runs: 20, p50Ms: 10_000, p95Ms: 19_000, maxMs: 20_000 },
    ]);
    const table = await runCli(['lateness', '--repo', 'acme/shop'], { env });
    expect(table.stdout).toContain('acme--shop--home');
    expect(table.stdout).toMatch(/20\s+10\.0 s\s+19\.0 s\s+20\.0 s/);
    const help = await runCli(['lateness', '--help'], { env });
    expect(help.stdout).toContain('Usage: housecat lateness');
  });
});
