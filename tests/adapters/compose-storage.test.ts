/**
 * The storage bundle (src/adapters/compose-storage.ts): every store of a process over one Redis,
 * with one prefix, so what one part writes another reads — against the real redis-server, over TCP
 * and over the Upstash REST stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/adapters/compose-storage.js';
import { createSealer } from '../../src/core/dashboard/sealer.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';
import { definition, run, stored } from './store/fixtures.js';

let bridge: UpstashBridge;
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => {
  await bridge.close();
});

describe('createStorage', () => {
  it('returns null when no Redis is configured', () => {
    expect(createStorage({})).toBeNull();
  });

  it.each([
    ['TCP', () => ({ REDIS_URL: testRedisUrl() })],
    ['Upstash REST', () => ({ UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token })],
  ])('gives every store over one %s connection and prefix', async (_name, env) => {
    const prefix = uniquePrefix('bundle');
    const storage = createStorage({ ...env(), HOUSECAT_REDIS_PREFIX: prefix });
    if (!storage) throw new Error('a Redis is configured: createStorage must give a bundle');
    try {
      const def = definition('acme/shop', 'home');
      await storage.results.applySync('acme/shop', { upsert: [stored(def)], remove: [] });
      await storage.results.recordRun(run(def.id, { status: 'passed' }), []);
      await storage.status.saveStatusSettings('acme/shop', { public: true, showGoals: false });

      // Written through one part, read through the others: the same server and prefix.
      expect(await storage.testIds('acme/shop')).toEqual([def.id]);
      expect(await storage.testIds()).toEqual([def.id]);
      const hour = Math.floor(Date.now() / 3_600_000);
      const page = await storage.status.readRepoStatus('acme/shop', {
        recent: 5,
        fromHour: hour - 1,
        toHour: hour,
      });
      expect(page.settings?.public).toBe(true);
      expect(page.tests.map((t) => t.recent.length)).toEqual([1]);
      expect((await storage.results.watchSnapshot()).map((e) => e.test.definition.id)).toEqual([def.id]);

      const dashboard = storage.dashboard(createSealer(['a-secret-of-at-least-32-characters!!']));
      await dashboard.saveShot(def.id, { runId: 'r1', at: 1, pngBase64: 'AAAA' });
      expect((await dashboard.getShot(def.id))?.runId).toBe('r1');
      expect(await storage.slots.takeSlot('bundle-test', 's1', [{ max: 1, ms: 60_000 }])).toBe(0);
      expect(await storage.slots.takeSlot('bundle-test', 's2', [{ max: 1, ms: 60_000 }])).toBeGreaterThan(0);
      expect(storage.replay.where).toContain(`${prefix}replay:`);
      expect(await storage.health.outboxStats()).toEqual({ tests: 0, earliestDueAt: null });
      await expect(storage.health.ping()).resolves.toBeUndefined();
      expect(storage.health.failures()).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
