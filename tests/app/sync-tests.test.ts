/**
 * syncTests in-process over real parts: the TCP store on the real redis-server, the QStash
 * scheduler against the QStash stand-in.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQStashScheduler } from '../../src/adapters/qstash/index.js';
import { createTcpStore } from '../../src/adapters/store/index.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { ConfigError, ServiceError } from '../../src/core/errors.js';
import type { Scheduler, Store } from '../../src/core/ports.js';
import { QSTASH_FREE_PLAN } from '../support/qstash-plan.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';

let qstash: QStashServer;
let store: Store;
beforeEach(async () => {
  qstash = await startQStashServer();
  store = createTcpStore({ url: testRedisUrl(), prefix: uniquePrefix('sync-core') });
});
afterEach(async () => {
  await qstash.close();
  await store.close();
});

const clock = { now: () => 1_700_000_000_000 };
const tests = Array.from({ length: 20 }, (_, i) => makeTest(`page-${i}`, { schedule: '*/10 * * * *' }));
const input = { repo: 'acme/shop', tests, callbackUrl: 'https://cat.example.com' };

describe('syncTests', () => {
  it('keeps at most `concurrency` QStash calls in flight', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    qstash.stallCreatesAfter(0);
    const running = syncTests({ store, scheduler, clock }, { ...input, concurrency: 4 });
    // The stand-in holds every create and answers one only when the client's window is full again
    // (4, or all that remain): a client that sent more than four at once would have them all held at
    // the same time, and the peak below would show it, with no wait for "nothing more arrived".
    const creates = 21; // 20 tests and the watchdog
    for (let answered = 0; answered < creates; answered++) {
      await vi.waitFor(() => expect(qstash.heldCreates()).toBe(Math.min(4, creates - answered)), {
        timeout: 10_000,
      });
      qstash.releaseOneCreate();
    }
    const outcome = await running;
    expect(qstash.maxHeldCreates()).toBe(4);
    expect(outcome.scheduleCalls).toBe(creates);
    expect(qstash.schedules.size).toBe(creates);
  });

  it('writes nothing to Redis when a QStash call fails, and a re-run then converges', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    qstash.failNext({ status: 500, route: 'createSchedule' });
    const error = await syncTests({ store, scheduler, clock }, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(await store.listRepoTests('acme/shop')).toEqual([]);
    const outcome = await syncTests({ store, scheduler, clock }, input);
    expect(outcome.plan.counts.create).toBe(20);
    expect(qstash.schedules.size).toBe(21); // 20 tests and the watchdog
    expect(await store.listRepoTests('acme/shop')).toHaveLength(20);
  });

  it('refuses tests of another repository and a callback URL with a query, before any request', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    await expect(syncTests({ store, scheduler, clock }, { ...input, repo: 'acme/other' })).rejects.toThrow(
      ConfigError,
    );
    await expect(
      syncTests(
        { store, scheduler, clock },
        { ...input, callbackUrl: 'https://cat.example.com/?token=s3cret' },
      ),
    ).rejects.toThrow(/must not carry a query/);
    expect(qstash.counts().total).toBe(0);
  });

  it('needs no scheduler for tests without a schedule', async () => {
    const plain = tests.map((t) => ({ ...t, schedule: undefined }));
    const outcome = await syncTests({ store, scheduler: null, clock }, { repo: 'acme/shop', tests: plain });
    expect(outcome.applied).toBe(true);
    expect(await store.listRepoTests('acme/shop')).toHaveLength(20);
  });

  it('leaves no schedule behind when QStash refuses midway over the plan quota, and names the limit', async () => {
    await qstash.close();
    qstash = await startQStashServer({ plan: QSTASH_FREE_PLAN });
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
    const twelve = { ...input, tests: tests.slice(0, 12) };
    const error = await syncTests({ store, scheduler, clock, logger }, twelve).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(412);
    expect((error as Error).message).toContain('the Free plan allows 10');
    // The 10 creates QStash accepted were undone: no schedule calls a test Redis does not know.
    expect(qstash.counts().createSchedule).toBeGreaterThanOrEqual(11);
    expect([...qstash.schedules.keys()]).toEqual([]);
    expect(await store.listRepoTests('acme/shop')).toEqual([]);
    expect(warnings.join('\n')).toMatch(
      /schedule\(s\) it had just created were deleted again; Redis was not changed/,
    );
    // With fewer scheduled tests the same sync goes through: 9 tests and the watchdog fill the quota.
    const nine = { ...input, tests: tests.slice(0, 9) };
    await syncTests({ store, scheduler, clock }, nine);
    expect(qstash.schedules.size).toBe(10);
    expect(await store.listRepoTests('acme/shop')).toHaveLength(9);
  });

  it('frees a quota slot before taking one: deletes finish before any create starts', async () => {
    await qstash.close();
    qstash = await startQStashServer({ plan: QSTASH_FREE_PLAN });
    const real = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    await syncTests({ store, scheduler: real, clock }, { ...input, tests: tests.slice(0, 9) });
    const log: string[] = [];
    // The real adapter, observed: the port's calls in the order they start and end.
    const observed: Scheduler = {
      listSchedules: () => real.listSchedules(),
      async deleteSchedule(id) {
        log.push(`delete ${id}`);
        await real.deleteSchedule(id);
        log.push(`deleted ${id}`);
      },
      async upsertSchedule(spec) {
        log.push(`upsert ${spec.scheduleId}`);
        await real.upsertSchedule(spec);
      },
    };
    // page-0 leaves the file, page-9 joins: the quota (10) is full until page-0's schedule is gone.
    await syncTests({ store, scheduler: observed, clock }, { ...input, tests: tests.slice(1, 10) });
    expect(log).toEqual([
      'delete housecat-acme--shop--page-0',
      'deleted housecat-acme--shop--page-0',
      'upsert housecat-acme--shop--page-9',
    ]);
    expect(qstash.schedules.has('housecat-acme--shop--page-9')).toBe(true);
  });

  it('gives the watchdog schedule the cadence asked for, and moves it when the cadence changes', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    await syncTests({ store, scheduler, clock }, input);
    expect(qstash.schedules.get('housecat-watchdog')?.cron).toBe('*/5 * * * *');
    const quarter = await syncTests({ store, scheduler, clock }, { ...input, watchdogMinutes: 15 });
    expect(quarter.watchdog).toBe('upsert');
    expect(qstash.schedules.get('housecat-watchdog')?.cron).toBe('*/15 * * * *');
    await syncTests({ store, scheduler, clock }, { ...input, watchdogMinutes: 60 });
    expect(qstash.schedules.get('housecat-watchdog')?.cron).toBe('0 * * * *');
    expect((await syncTests({ store, scheduler, clock }, { ...input, watchdogMinutes: 60 })).watchdog).toBe(
      'none',
    );
  });
});
