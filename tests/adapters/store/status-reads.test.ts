/**
 * The reads behind status pages, badges and the read API, counted on the Upstash REST bridge: a page
 * of 100 tests with 30 days of 5-minute history costs 2 requests and never reads `results:` beyond
 * the newest runs; a badge costs 1; a private repository's tests are not even read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { statusStoreOf } from '../../../src/adapters/store/status-store.js';
import { testId } from '../../../src/core/ids.js';
import { HEARTBEAT_RUNS, historyFrom, pageHours } from '../../../src/core/status/view.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { seedStatusHistory } from '../../support/status-history.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';

const NOW = Date.UTC(2026, 10, 30, 18, 5);
const DAY = 86_400_000;
let bridge: UpstashBridge;
let store: RedisStore;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
  store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: uniquePrefix('status-reads') });
  await seedStatusHistory(store, testRedisUrl(), {
    repo: 'acme/big',
    tests: 100,
    days: 30,
    results: 120,
    now: NOW,
  });
  await seedStatusHistory(store, testRedisUrl(), {
    repo: 'acme/quiet',
    tests: 3,
    days: 1,
    results: 10,
    now: NOW,
  });
  const status = statusStoreOf(store, { now: () => NOW });
  await status.saveStatusSettings('acme/big', { public: true, showGoals: false });
  // 30 incidents of one test over 60 days, resolved through the close script: the page's history.
  const id = testId('acme/big', 'page-007');
  for (let i = 0; i < 30; i++) {
    const since = NOW - (i + 1) * 2 * DAY;
    await store.saveIncident({
      testId: id,
      repo: 'acme/big',
      status: 'open',
      since,
      openedAt: since,
      lastFailureAt: since,
      lastReason: `failure ${i}`,
      failedRuns: 2,
      issueNumber: 100 + i,
    });
    await store.closeIncident(id, since + 3_600_000);
  }
}, 120_000);
afterAll(async () => {
  await store.close();
  await bridge.close();
});

describe('status reads', () => {
  it('reads a page of 100 tests with 30 days of history and its incident history in 2 requests, without scanning results', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    const page = await status.readRepoStatus('acme/big', {
      recent: HEARTBEAT_RUNS,
      ...pageHours(NOW),
      historyFrom: historyFrom(NOW),
    });
    expect(bridge.count()).toBe(2);
    expect(bridge.requests.slice(-2).map((r) => r.path)).toEqual(['/pipeline', '/pipeline']);
    // The incident history rides in the first pipeline, next to the settings and the test ids.
    expect(bridge.requests.at(-2)?.commands.map((c) => c[0])).toEqual([
      'HGETALL',
      'SMEMBERS',
      'ZREVRANGEBYSCORE',
    ]);
    expect(page.history.map((h) => h.issueNumber)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(page.tests).toHaveLength(100);
    expect(page.tests.every((t) => t.recent.length === HEARTBEAT_RUNS && t.hours.size === 30 * 24)).toBe(
      true,
    );
    const resultReads = bridge.requests
      .slice(-2)
      .flatMap((r) => r.commands)
      .filter((c) => c[1]?.includes('results:'));
    expect(resultReads).toHaveLength(100);
    for (const command of resultReads) {
      expect(command[0]).toBe('ZREVRANGEBYSCORE');
      expect(command.slice(-3)).toEqual(['LIMIT', '0', String(HEARTBEAT_RUNS)]);
    }
  });

  it('reads one test for a badge or the API in 1 request', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    const one = await status.readTestStatus('acme/big', 'page-007', { recent: 100, ...pageHours(NOW) });
    expect(bridge.count()).toBe(1);
    expect(one.settings?.public).toBe(true);
    expect(one.test?.recent).toHaveLength(100);
  });

  it('stops after the settings when a repository is not public: its tests are not read', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    const page = await status.readRepoStatus('acme/quiet', { recent: HEARTBEAT_RUNS, ...pageHours(NOW) });
    expect(page).toEqual({ settings: null, tests: [], history: [] });
    expect(bridge.count()).toBe(1);
  });
});
