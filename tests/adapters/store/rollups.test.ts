/**
 * Hourly rollups (`stats:{id}:h`) against the real redis-server, over TCP and over the Upstash REST
 * bridge: written in recordRun's one transaction, equal to what the raw results give for the same
 * window, counted once when a transaction is resent, trimmed with the retention, and rebuilt from
 * `results:` by `housecat rollup rebuild`.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore, createUpstashStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { packHour } from '../../../src/adapters/store/rollup-packing.js';
import { statusStoreOf } from '../../../src/adapters/store/status-store.js';
import {
  HOUR_MS,
  hourOf,
  rollUp,
  summarizeHours,
  summarizeResults,
} from '../../../src/core/status/rollup.js';
import type { RunStatus } from '../../../src/core/types.js';
import { runCli, useBuiltCli } from '../../support/cli.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';
import { definition, run, stored } from './fixtures.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const DAY = 24 * HOUR_MS;
const NOW = Date.UTC(2026, 10, 20, 12, 34, 56);

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `days` of runs every 15 minutes ending at NOW: mostly passes, some failures, errors and skips;
 * most are scheduled and record a lateness (mostly seconds, now and then a retried hour).
 */
function history(testId: string, days: number, seed: number) {
  const next = random(seed);
  const runs = [];
  for (let at = NOW - days * DAY; at <= NOW; at += 15 * 60_000) {
    const roll = next();
    const status: RunStatus =
      roll < 0.85 ? 'passed' : roll < 0.95 ? 'failed' : roll < 0.98 ? 'error' : 'skipped';
    const withResponse = next() < 0.9;
    const scheduled = next() < 0.8;
    const latenessMs = Math.round(next() ** 4 * (next() < 0.05 ? 3 * HOUR_MS : 120_000));
    runs.push(
      run(testId, {
        status,
        startedAt: at,
        durationMs: Math.round(500 + next() * 20_000),
        ...(withResponse ? { responseMs: Math.round(next() ** 3 * 4000) } : {}),
        ...(scheduled ? { tick: at - latenessMs, latenessMs } : {}),
      }),
    );
  }
  return runs;
}

let bridge: UpstashBridge;
const raw = createClient({ url: testRedisUrl(), RESP: 2 });
const opened: RedisStore[] = [];

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
  await raw.connect();
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await raw.close();
  await bridge.close();
});

const adapters: [string, (prefix: string, now?: () => number) => RedisStore][] = [
  [
    'tcp',
    (prefix, now) => createTcpStore({ url: testRedisUrl(), prefix, ...(now ? { clock: { now } } : {}) }),
  ],
  [
    'upstash',
    (prefix, now) =>
      createUpstashStore({
        url: bridge.url,
        token: bridge.token,
        prefix,
        ...(now ? { clock: { now } } : {}),
      }),
  ],
];

describe.each(adapters)('hourly rollups (%s)', (adapter, make) => {
  const open = (now: () => number = () => NOW) => {
    const prefix = uniquePrefix(`rollup-${adapter}`);
    const store = make(prefix, now);
    opened.push(store);
    return { store, prefix, status: statusStoreOf(store, { now }) };
  };

  it('gives the same uptime, p50, p95 and lateness p50/p95 as the raw results for 24 h, 7 d and 30 d windows', async () => {
    const { store, status } = open();
    const def = definition('acme/shop', 'checkout');
    await store.applySync('acme/shop', { upsert: [stored(def)], remove: [] });
    const runs = history(def.id, 31, 7);
    for (const r of runs) await store.recordRun(r, []);

    const toHour = hourOf(NOW);
    const read = await status.readTestStatus('acme/shop', 'checkout', {
      recent: 100,
      fromHour: toHour - 30 * 24 + 1,
      toHour,
    });
    const results = await store.getResults(def.id, { to: NOW });
    expect(results).toHaveLength(runs.length);
    for (const hours of [24, 7 * 24, 30 * 24]) {
      const fromHour = toHour - hours + 1;
      const fromRollups = summarizeHours(read.test?.hours ?? new Map(), fromHour, toHour);
      const fromRaw = summarizeResults(results, fromHour, toHour);
      expect(fromRollups, `window of ${hours} h`).toEqual(fromRaw);
      expect(fromRaw.passed + fromRaw.failed, `window of ${hours} h has conclusive runs`).toBeGreaterThan(0);
      expect(fromRaw.p95Ms).not.toBeNull();
      expect(fromRaw.latenessSamples, `window of ${hours} h has scheduled runs`).toBeGreaterThan(0);
      expect(fromRaw.latenessP95Ms).not.toBeNull();
    }
    // Field by field, the hash is exactly the raw results rolled up.
    const kept = await raw.hGetAll(`${(store as RedisStore).keys.stats(def.id)}`);
    const expected = Object.fromEntries([...rollUp(results)].map(([h, c]) => [String(h), packHour(c)]));
    expect(kept).toEqual(expected);
  });

  it('counts a run once when its transaction is sent twice', async () => {
    const { store, prefix } = open();
    const id = 'acme--shop--twice';
    const once = run(id, { startedAt: NOW - 1000, responseMs: 120 });
    await store.recordRun(once, []);
    await store.recordRun(once, []);
    await store.recordRun(run(id, { startedAt: NOW - 500, status: 'failed', responseMs: 900 }), []);
    expect(await raw.hGetAll(`${prefix}stats:${id}:h`)).toEqual({ [String(hourOf(NOW))]: '1,1,0,0|2:1,8:1' });
  });

  it('adds a scheduled run’s lateness to its hour, also when the run gave no response time', async () => {
    const { store, prefix } = open();
    const id = 'acme--shop--late';
    const late = (startedAt: number, latenessMs: number, extra = {}) =>
      run(id, { startedAt, tick: startedAt - latenessMs, latenessMs, ...extra });
    // A maintenance skip: no response time, but the delivery still came 40 s late.
    await store.recordRun(late(NOW - 3000, 40_000, { status: 'skipped', reason: 'maintenance' }), []);
    expect(await raw.hGetAll(`${prefix}stats:${id}:h`)).toEqual({ [String(hourOf(NOW))]: '0,0,0,1||7:1' });
    const twice = late(NOW - 2000, 700, { responseMs: 120 });
    await store.recordRun(twice, []);
    await store.recordRun(twice, []);
    await store.recordRun(run(id, { startedAt: NOW - 1000, responseMs: 120 }), []);
    expect(await raw.hGetAll(`${prefix}stats:${id}:h`)).toEqual({
      [String(hourOf(NOW))]: '2,0,0,1|2:2|1:1,7:1',
    });
  });

  it('drops hours wholly older than the retention and expires the key with the results', async () => {
    let now = NOW;
    const { store, prefix } = open(() => now);
    const id = 'acme--shop--old';
    const key = `${prefix}stats:${id}:h`;
    await store.recordRun(run(id, { startedAt: NOW - 89 * DAY }), []);
    await store.recordRun(run(id, { startedAt: NOW - 10 * DAY }), []);
    expect(Object.keys(await raw.hGetAll(key))).toHaveLength(2);
    now = NOW + 2 * DAY;
    await store.recordRun(run(id, { startedAt: now }), []);
    expect(Object.keys(await raw.hGetAll(key)).sort()).toEqual(
      [hourOf(NOW - 10 * DAY), hourOf(now)].map(String).sort(),
    );
    const ttl = await raw.pTTL(key);
    expect(ttl).toBeGreaterThan(89 * DAY);
    expect(ttl).toBeLessThanOrEqual(90 * DAY);
    // A run already past the retention is trimmed at once: it is not counted either.
    await store.recordRun(run(id, { startedAt: now - 95 * DAY }), []);
    expect(Object.keys(await raw.hGetAll(key))).toHaveLength(2);
  });

  it('rebuilds the rollups from results: the same hash as recording wrote', async () => {
    const { store, prefix, status } = open();
    const id = 'acme--shop--rebuilt';
    for (const r of history(id, 2, 11)) await store.recordRun(r, []);
    const key = `${prefix}stats:${id}:h`;
    const written = await raw.hGetAll(key);
    await raw.del(key);
    await raw.hSet(key, String(hourOf(NOW) + 5), '9,9,9,9');
    expect(await status.rebuildRollups(id)).toBe(Object.keys(written).length);
    expect(await raw.hGetAll(key)).toEqual(written);
    expect(await raw.pTTL(key)).toBeGreaterThan(89 * DAY);
  });
});

describe('housecat rollup rebuild', () => {
  it('explains itself with --help', async () => {
    const res = await runCli(['rollup', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Usage: housecat rollup rebuild [--repo OWNER/NAME]');
  });

  it('rebuilds the rollups of one repository’s tests and leaves other repositories alone', async () => {
    const prefix = uniquePrefix('rollup-cli');
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    opened.push(store);
    const mine = definition('acme/shop', 'home');
    const other = definition('acme/blog', 'home');
    await store.applySync('acme/shop', { upsert: [stored(mine)], remove: [] });
    await store.applySync('acme/blog', { upsert: [stored(other)], remove: [] });
    const now = Date.now();
    await store.recordRun(run(mine.id, { startedAt: now - 2 * HOUR_MS, responseMs: 60 }), []);
    await store.recordRun(run(other.id, { startedAt: now - HOUR_MS }), []);
    await raw.del([`${prefix}stats:${mine.id}:h`, `${prefix}stats:${other.id}:h`]);

    const res = await runCli(['rollup', 'rebuild', '--repo', 'acme/shop'], {
      env: { REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: prefix },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Rebuilt the rollups of 1 test(s) of acme/shop: 1 hour(s) in all.');
    expect(await raw.hGetAll(`${prefix}stats:${mine.id}:h`)).toEqual({
      [String(hourOf(now - 2 * HOUR_MS))]: '1,0,0,0|1:1',
    });
    expect(await raw.exists(`${prefix}stats:${other.id}:h`)).toBe(0);
  });

  it('refuses an unknown action with exit status 2', async () => {
    const res = await runCli(['rollup', 'rebiuld'], { env: { REDIS_URL: testRedisUrl() } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('expected the action "rebuild", not "rebiuld"');
  });
});
