/**
 * The watchdog's Redis commands, counted by `INFO commandstats` on a private redis-server: the
 * figure `housecat cost` charges for every watchdog call (WATCHDOG_REDIS_COMMANDS) must be what
 * runWatchdog really sends, so a change to either fails here instead of silently mispricing.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore } from '../../src/adapters/store/index.js';
import { runWatchdog } from '../../src/app/watchdog.js';
import { WATCHDOG_REDIS_COMMANDS } from '../../src/core/usage/service-prices.js';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { makeTest } from '../support/test-definitions.js';
import { onTimeWatchdogDeps } from '../support/watchdog-deps.js';

/** Counted from the code, outside runWatchdog: the route's token claim, the drainer's 2 outbox reads. */
const OUTSIDE_RUN_WATCHDOG = 3;

let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

async function commandsPerCall(tests: number): Promise<number> {
  const store = createTcpStore({ url: server.url, prefix: `wd${tests}:` });
  const client = createClient({ url: server.url });
  await client.connect();
  try {
    const now = Date.now();
    const definitions = Array.from({ length: tests }, (_, i) =>
      makeTest(`p-${i}`, { schedule: '*/5 * * * *' }),
    );
    await store.applySync('acme/shop', {
      upsert: definitions.map((definition) => ({ definition, contentHash: 'h', updatedAt: now - 60_000 })),
      remove: [],
    });
    const deps = onTimeWatchdogDeps(store, now);
    await runWatchdog(deps); // connects the store
    await client.configResetStat();
    await runWatchdog(deps);
    const stats = await client.info('commandstats');
    let calls = 0;
    for (const [, name, n] of stats.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) {
      if (name !== 'info' && name !== 'config|resetstat' && name !== 'config') calls += Number(n);
    }
    return calls;
  } finally {
    await client.quit();
    await store.close();
  }
}

describe('the watchdog’s Redis commands', () => {
  it('match the figure housecat cost charges: a fixed part plus 3 per stored test', async () => {
    for (const tests of [1, 10, 100]) {
      expect(await commandsPerCall(tests), `${tests} tests`).toBe(
        WATCHDOG_REDIS_COMMANDS.perCall - OUTSIDE_RUN_WATCHDOG + WATCHDOG_REDIS_COMMANDS.perTest * tests,
      );
    }
  });
});
