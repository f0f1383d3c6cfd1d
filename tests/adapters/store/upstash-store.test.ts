/**
 * The store over @upstash/redis, through the Upstash REST bridge in front of the real redis-server:
 * the shared suite, plus round-trip counts and errors of the REST transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore } from '../../../src/adapters/store/index.js';
import { ServiceError } from '../../../src/core/errors.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { freePort } from '../../support/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';
import { definition, run, stored } from './fixtures.js';
import { describeIncidentHistorySuite } from './incident-history-suite.js';
import { describeOutboxSuite } from './outbox-suite.js';
import { describeStoreSuite } from './store-suite.js';

let bridge: UpstashBridge;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl(), token: 'upstash-token-SECRET-4f1e9a' });
});
afterAll(async () => {
  await bridge.close();
});

describeStoreSuite('upstash', async (options) =>
  createUpstashStore({ ...options, url: bridge.url, token: bridge.token }),
);
describeOutboxSuite('upstash', async (options) =>
  createUpstashStore({ ...options, url: bridge.url, token: bridge.token }),
);
describeIncidentHistorySuite('upstash', async (options) =>
  createUpstashStore({ ...options, url: bridge.url, token: bridge.token }),
);

describe('Upstash REST round trips', () => {
  const store = () =>
    createUpstashStore({ url: bridge.url, token: bridge.token, prefix: uniquePrefix('rt') });

  it('records a run with its rollup and events in exactly one HTTP request, a MULTI/EXEC', async () => {
    const s = store();
    bridge.reset();
    const result = run('acme--web--one');
    await s.recordRun(result, [
      { type: 'step', message: 'navigate', at: Date.now() },
      { type: 'pass', message: 'done', at: Date.now() },
    ]);
    expect(bridge.count()).toBe(1);
    const request = bridge.requests.at(-1)!;
    expect(request.path).toBe('/multi-exec');
    expect(request.commands.map((c) => c[0])).toEqual([
      'EVAL',
      'ZADD',
      'ZREMRANGEBYSCORE',
      'PEXPIRE',
      'ZADD',
      'ZREMRANGEBYSCORE',
      'PEXPIRE',
      'XADD',
      'XADD',
      'PEXPIRE',
    ]);
    expect(request.headers['upstash-encoding']).toBe('base64');
  });

  it('applies a sync in one MULTI and lists a repository in at most two requests', async () => {
    const s = store();
    const tests = Array.from({ length: 25 }, (_, i) => stored(definition('acme/big', `t${i}`)));
    bridge.reset();
    await s.applySync('acme/big', { upsert: tests, remove: ['acme--big--gone'] });
    expect(bridge.count()).toBe(1);
    expect(bridge.requests.at(-1)?.path).toBe('/multi-exec');
    bridge.reset();
    const listed = await s.listRepoTests('acme/big');
    expect(listed).toHaveLength(25);
    expect(bridge.count()).toBe(2);
  });

  it('does not auto-pipeline: two concurrent reads are two plain requests', async () => {
    const s = store();
    bridge.reset();
    await Promise.all([s.getTest('a--b--c'), s.getTest('a--b--d')]);
    expect(bridge.requests.slice(-2).map((r) => r.path)).toEqual(['/', '/']);
    expect(bridge.count()).toBe(2);
  });
});

describe('Upstash REST errors', () => {
  function expectServiceError(error: unknown, pattern: RegExp): ServiceError {
    expect(error).toBeInstanceOf(ServiceError);
    const e = error as ServiceError;
    expect(e.service).toBe('Upstash Redis');
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain(bridge.token);
    expect(e.message).not.toContain('wrong-token-XYZ');
    return e;
  }

  it('names UPSTASH_REDIS_REST_TOKEN, without the token, when the token is wrong', async () => {
    const s = createUpstashStore({ url: bridge.url, token: 'wrong-token-XYZ', prefix: uniquePrefix('err') });
    const error = await s.recordRun(run('acme--web--x', { reason: 'STORED-VALUE-1' }), []).catch((e) => e);
    const e = expectServiceError(
      error,
      /record run failed: .*refused the credentials — check UPSTASH_REDIS_REST_TOKEN/,
    );
    expect(e.status).toBe(401);
    expect(e.retryable).toBe(false);
    expect(e.message).not.toContain('STORED-VALUE-1');
    expect(bridge.requests.at(-1)?.authorized).toBe(false);
  });

  it('names UPSTASH_REDIS_REST_URL when nothing listens there', async () => {
    const port = await freePort();
    const s = createUpstashStore({ url: `http://127.0.0.1:${port}`, token: bridge.token, retries: 0 });
    const error = await s.getTest('acme--web--x').catch((e) => e);
    expectServiceError(
      error,
      /read test failed: could not reach 127\.0\.0\.1:\d+.*check UPSTASH_REDIS_REST_URL/,
    );
  });

  it('names UPSTASH_REDIS_REST_URL when the server was stopped', async () => {
    const own = await startUpstashBridge({ redisUrl: testRedisUrl(), token: bridge.token });
    const s = createUpstashStore({ url: own.url, token: own.token, retries: 0 });
    expect(await s.getTest('acme--web--x')).toBeNull();
    await own.close();
    const error = await s.getTest('acme--web--x').catch((e) => e);
    expectServiceError(error, /read test failed: could not reach .*UPSTASH_REDIS_REST_URL/);
  });

  it('gives up after the timeout with an error naming it', async () => {
    const slow = await startUpstashBridge({ redisUrl: testRedisUrl(), token: bridge.token });
    slow.delayMs = 3000;
    const s = createUpstashStore({ url: slow.url, token: slow.token, timeoutMs: 300, retries: 0 });
    const started = Date.now();
    const error = await s.getTest('acme--web--x').catch((e) => e);
    expectServiceError(error, /read test failed: .* did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2500);
    slow.delayMs = 0;
    await slow.close();
  });

  it('never quotes the command or stored values when Redis rejects a command', async () => {
    const prefix = uniquePrefix('err');
    const s = createUpstashStore({ url: bridge.url, token: bridge.token, prefix });
    // A foreign string where HouseCat expects a sorted set makes ZADD fail inside the MULTI.
    const result = run('acme--web--clash', { reason: 'STORED-VALUE-2' });
    await fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: JSON.stringify(['SET', `${prefix}results:acme--web--clash`, 'not a zset']),
    });
    const error = await s.recordRun(result, []).catch((e) => e);
    const e = expectServiceError(
      error,
      /record run failed: a key holds a value of another type.*HOUSECAT_REDIS_PREFIX/,
    );
    expect(e.message).not.toContain('STORED-VALUE-2');
    expect(e.message).not.toContain(result.runId);
    const single = await s.getResults('acme--web--clash').catch((x) => x);
    expectServiceError(single, /read results failed: a key holds a value of another type/);
  });
});
