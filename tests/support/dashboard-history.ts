/**
 * A test with days of one-a-minute history in the real redis-server, written the way recordRun
 * leaves it (results members and hourly rollups) but in a few large commands, not one round trip
 * per run; and a transport that counts the bytes Redis answers, to measure what a page reads.
 */
import { createDashboardStore } from '../../src/adapters/store/dashboard-store.js';
import { createTcpStore, RedisStore } from '../../src/adapters/store/index.js';
import { packHour } from '../../src/adapters/store/rollup-packing.js';
import { statusStoreOf } from '../../src/adapters/store/status-store.js';
import type { Command, Reply, Transport } from '../../src/adapters/store/transport.js';
import type { ViewDeps } from '../../src/app/dashboard/views.js';
import type { Sealer } from '../../src/core/dashboard/sealer.js';
import type { StoredResult } from '../../src/core/ports.js';
import { rollUp } from '../../src/core/status/rollup.js';
import { shopTest } from '../bot/dashboard/harness.js';

const CHUNK = 2_000;

/** Seeds test `slug` of acme/shop with one run a minute for `days` days before `now`; some fail. */
export async function seedHistory(
  store: RedisStore,
  slug: string,
  days: number,
  now: number,
): Promise<string> {
  const definition = shopTest(slug, `History ${slug}`);
  const id = definition.id;
  const t = store.transport;
  await store.applySync('acme/shop', {
    upsert: [{ definition, contentHash: `h-${slug}`, updatedAt: now }],
    remove: [],
  });
  const runs: StoredResult[] = [];
  for (let i = days * 24 * 60 - 1; i >= 0; i--) {
    const startedAt = now - i * 60_000 - 30_000;
    const failed = i % 97 === 0;
    runs.push({
      runId: `run-${slug}-${i}`,
      status: failed ? 'failed' : 'passed',
      reason: failed ? 'The cart stayed empty after clicking Add to cart' : 'The cart shows the hat',
      startedAt,
      durationMs: 2_000 + (i % 13) * 100,
      responseMs: 180 + (i % 7) * 40,
      source: { kind: 'schedule' },
      tick: startedAt - 800,
      latenessMs: 800 + (i % 5) * 300,
    } as StoredResult);
  }
  for (let i = 0; i < runs.length; i += CHUNK) {
    const members = runs.slice(i, i + CHUNK).flatMap((r) => [String(r.startedAt), JSON.stringify(r)]);
    await t.command('seed results', ['ZADD', store.keys.results(id), ...members]);
  }
  const hours = [...rollUp(runs)].flatMap(([hour, counts]) => [String(hour), packHour(counts)]);
  await t.command('seed rollups', ['HSET', store.keys.stats(id), ...hours]);
  return id;
}

/** A transport that adds up the bytes of every reply (as JSON, the REST wire form) it passes on. */
export function countingTransport(inner: Transport): Transport & { bytes: number } {
  const size = (reply: Reply | Reply[]) => Buffer.byteLength(JSON.stringify(reply));
  const counter = {
    bytes: 0,
    service: inner.service,
    async command(operation: string, command: Command) {
      const reply = await inner.command(operation, command);
      counter.bytes += size(reply);
      return reply;
    },
    async pipeline(operation: string, commands: Command[]) {
      const replies = await inner.pipeline(operation, commands);
      counter.bytes += size(replies);
      return replies;
    },
    async transaction(operation: string, commands: Command[]) {
      const replies = await inner.transaction(operation, commands);
      counter.bytes += size(replies);
      return replies;
    },
    close: () => inner.close(),
  };
  return counter;
}

/**
 * Seeds `days` of history for test `history-{days}d` under `prefix`, then returns the dashboard's
 * view deps over a byte-counting transport (reset `counter.bytes` before each view to measure it).
 */
export async function countedHistoryViews(
  redisUrl: string,
  prefix: string,
  days: number,
  now: number,
  sealer: Sealer,
): Promise<{ deps: ViewDeps; counter: Transport & { bytes: number }; slug: string; close(): Promise<void> }> {
  const seeder = createTcpStore({ url: redisUrl, prefix });
  const slug = `history-${days}d`;
  await seedHistory(seeder, slug, days, now);
  const counter = countingTransport(seeder.transport);
  const store = new RedisStore(counter, { prefix });
  const deps: ViewDeps = {
    store,
    dashboard: createDashboardStore(store, sealer),
    clock: { now: () => now },
    status: statusStoreOf(store, { now: () => now }),
  };
  return { deps, counter, slug, close: () => seeder.close() };
}
