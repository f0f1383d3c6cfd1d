/**
 * Run records and their files in the real redis-server (issue 29): a thousand failed runs leave
 * the test's and the repository's files under their byte caps and the records under their count,
 * every key has a TTL, and files trimmed by one test's runs are gone from Redis, not just unindexed.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { createRunStore, RedisRunStore } from '../../../src/adapters/store/run-store.js';
import { filesToKeep, RUN_FILE_LIMITS, toRunRecord } from '../../../src/core/run/run-record.js';
import type { RunResult } from '../../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';

const REPO = 'acme/shop';

function failed(testId: string, at: number, shotKb: number, traceKb = 0): RunResult {
  const jpeg = (n: number) => Buffer.alloc(shotKb * 768, n).toString('base64'); // base64 of shotKb KB
  return {
    runId: randomUUID(),
    testId,
    status: 'failed',
    reason: 'the cart stayed empty',
    agent: 'claude',
    startedAt: at,
    durationMs: 1200,
    steps: [
      { action: 'navigate', target: 'https://shop.example/', outcome: 'HTTP 200', ok: true, at },
      { action: 'verdict', outcome: 'the cart stayed empty', ok: false, at: at + 1 },
    ],
    evidence: {
      excerpt: 'Your cart is empty',
      stepShots: [0, 1].map((step) => ({ step, label: `step ${step}`, at, jpegBase64: jpeg(step) })),
      ...(traceKb ? { traceBase64: Buffer.alloc(traceKb * 768).toString('base64') } : {}),
    },
    usage: { llmCalls: 2, inputTokens: 900, outputTokens: 120, costUsd: 0.004 },
  };
}

describe('run records and files in Redis', () => {
  let store: RedisStore;
  let redis: ReturnType<typeof createClient>;
  let prefix: string;
  beforeAll(async () => {
    prefix = uniquePrefix('runs');
    store = createTcpStore({ url: testRedisUrl(), prefix });
    redis = createClient({ url: testRedisUrl() });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.quit();
    await store?.close();
  });

  /** Bytes of every file hash of a test (what Redis holds, not what the index says). */
  async function fileBytes(pattern: string): Promise<number> {
    let total = 0;
    for (const key of await redis.keys(`${prefix}${pattern}`)) {
      if ((await redis.type(key)) !== 'hash') continue;
      for (const value of Object.values(await redis.hGetAll(key))) total += value.length;
    }
    return total;
  }

  it('stays under the per-test cap and the record count after 1,000 failed runs', async () => {
    const runs = createRunStore(store);
    const testId = 'acme--shop--checkout';
    const start = Date.now() - 1000 * 60_000;
    let last = { testBytes: 0, repoBytes: 0 };
    for (let i = 0; i < 1000; i++) {
      // A trace on every tenth run, as a test with `trace: on-failure` that fails now and then.
      const result = failed(testId, start + i * 60_000, 40, i % 10 === 0 ? 300 : 0);
      const { files } = filesToKeep(result);
      last = await runs.saveRun(REPO, toRunRecord(result, files), files);
    }
    expect(last.testBytes).toBeLessThanOrEqual(RUN_FILE_LIMITS.perTestBytes);
    expect(last.testBytes).toBeGreaterThan(RUN_FILE_LIMITS.perTestBytes * 0.8);
    expect(await fileBytes(`runfiles:${testId}:*`)).toBe(last.testBytes);
    expect(await redis.zCard(`${prefix}runs:${testId}`)).toBe(RUN_FILE_LIMITS.recordsPerTest);
    expect((await redis.keys(`${prefix}run:${testId}:*`)).length).toBe(RUN_FILE_LIMITS.recordsPerTest);
    for (const key of await redis.keys(`${prefix}run*`))
      expect(await redis.pTTL(key), key).toBeGreaterThan(0);

    // The newest run's record and files read back; the oldest run's are gone.
    const newest = (await redis.zRange(`${prefix}runs:${testId}`, -1, -1))[0] as string;
    const record = await runs.getRun(testId, newest);
    expect(record?.shots.map((s) => s.label)).toEqual(['step 0', 'step 1']);
    expect(Buffer.from((await runs.getShot(testId, newest, 1)) ?? '', 'base64')[0]).toBe(1);
    expect(await runs.getShot(testId, newest, 2)).toBeNull();
  });

  it('keeps a repository under its cap across tests, dropping the oldest runs of any test', async () => {
    // Small caps, so a few runs show the repository's cap taking files from another test.
    const runs = new RedisRunStore(store.transport, store.keys, Date.now, {
      ...RUN_FILE_LIMITS,
      perTestBytes: 400 * 1024,
      perRepoBytes: 600 * 1024,
    });
    const repo = 'acme/ops';
    const at = Date.now() - 3_600_000;
    const saved: { testId: string; runId: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const testId = i % 2 ? 'acme--ops--a' : 'acme--ops--b';
      const result = failed(testId, at + i * 1000, 40);
      const { files } = filesToKeep(result);
      const bytes = await runs.saveRun(repo, toRunRecord(result, files), files);
      expect(bytes.repoBytes).toBeLessThanOrEqual(600 * 1024);
      saved.push({ testId, runId: result.runId });
    }
    expect(await fileBytes('runfiles:acme--ops--*:*')).toBeLessThanOrEqual(600 * 1024);
    // The first run of test b lost its files to the repository's cap; its record stays.
    const first = saved[0] as { testId: string; runId: string };
    expect(await runs.getShot(first.testId, first.runId, 0)).toBeNull();
    expect(await runs.getRun(first.testId, first.runId)).not.toBeNull();
    const newest = saved.at(-1) as { testId: string; runId: string };
    expect(await runs.getShot(newest.testId, newest.runId, 0)).not.toBeNull();
  });

  it('keeps no files for a passing run, and refuses a view over its own cap', () => {
    const pass = { ...failed('t', 1, 40), status: 'passed' as const };
    expect(filesToKeep(pass).files.shots).toEqual([]);
    const huge = failed('t', 1, 300);
    const kept = filesToKeep(huge);
    expect(kept.files.shots).toEqual([]);
    expect(kept.dropped).toHaveLength(2);
  });
});
