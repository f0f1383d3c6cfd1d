/**
 * 100 live views of one test share one Redis reader: with the real TCP feed (XREAD BLOCK on a
 * connection of its own) the process holds 2 connections to a redis-server of its own, the shared
 * one and the reader, and every view still gets each event written after it opened, including
 * views that opened behind the shared reader (an older page) and catch up first.
 */
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventFeed } from '../../../src/adapters/store/event-follower.js';
import { createTcpStore, createUpstashStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { fanOutFeed } from '../../../src/app/live-fanout.js';
import type { EventFeed } from '../../../src/core/dashboard/ports.js';
import type { StoredEvent } from '../../../src/core/ports.js';
import { type RestartableRedisServer, startRedisServer } from '../../support/redis-server.js';
import { startUpstashBridge } from '../../support/upstash-bridge.js';

const TEST_ID = 'acme--shop--fanout';

let server: RestartableRedisServer;
let store: RedisStore;
beforeAll(async () => {
  server = await startRedisServer();
  store = createTcpStore({ url: server.url, prefix: 'fan:' });
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

/** A view following from `afterId` until it holds `want` events, as the /events route does. */
async function view(
  follower: ReturnType<ReturnType<typeof fanOutFeed>['follow']>,
  afterId: string,
  want: number,
  signal: AbortSignal,
): Promise<StoredEvent[]> {
  const got: StoredEvent[] = [];
  let last = afterId;
  while (got.length < want) {
    const events = await follower.next(last, 60_000, signal);
    got.push(...events);
    last = events.at(-1)?.streamId ?? last;
  }
  return got;
}

const step = (message: string) => ({ type: 'step' as const, message, at: Date.now() });

async function connections(): Promise<number> {
  const list = await store.transport.command('count clients', ['CLIENT', 'LIST']);
  return String(list).trim().split('\n').length;
}

describe('live views of one test', () => {
  it('share one Redis reader, and each gets the events written after it opened', async () => {
    const feed = fanOutFeed(createEventFeed(store, {}), {
      readAfter: (id, afterId, limit) => store.readEvents(id, { afterId, limit }),
    });
    const stop = new AbortController();
    // 100 views listen on one test-wide signal (the route gives each its own).
    setMaxListeners(300, stop.signal);
    await store.appendEvents(TEST_ID, 'run-1', [step('step 1 of 3')]);
    const first = (await store.readEvents(TEST_ID))[0]?.streamId ?? '';
    const followers = Array.from({ length: 100 }, () => feed.follow(TEST_ID));
    // Half opened on a page that showed step 1, half on an older page (before it): those catch up.
    const views = followers.map((f, i) =>
      i % 2 === 0 ? view(f, first, 2, stop.signal) : view(f, '0-0', 3, stop.signal),
    );
    await store.appendEvents(TEST_ID, 'run-1', [step('step 2 of 3')]);
    await store.appendEvents(TEST_ID, 'run-1', [step('step 3 of 3')]);
    const got = await Promise.all(views);
    got.forEach((events, i) => {
      const expected =
        i % 2 === 0 ? ['step 2 of 3', 'step 3 of 3'] : ['step 1 of 3', 'step 2 of 3', 'step 3 of 3'];
      expect(events.map((e) => e.message)).toEqual(expected);
    });
    // All 100 still open: the shared connection and the one blocking reader, nothing more.
    expect(await connections()).toBeLessThanOrEqual(2);
    const more = followers.map((f) => f.next(got[0]?.at(-1)?.streamId ?? '', 60_000, stop.signal));
    await store.appendEvents(TEST_ID, 'run-2', [step('a second run starts')]);
    for (const events of await Promise.all(more))
      expect(events.map((e) => e.message)).toEqual(['a second run starts']);
    expect(await connections()).toBeLessThanOrEqual(2);
    stop.abort(new Error('test over'));
    await Promise.all(followers.map((f) => f.close()));
  });

  it('polls Upstash REST with one follower per test, and stops it when the last view closes', async () => {
    const bridge = await startUpstashBridge({ redisUrl: server.url });
    const rest = createUpstashStore({
      url: bridge.url,
      token: bridge.token,
      prefix: 'fan-rest:',
      retries: 0,
    });
    try {
      const inner = createEventFeed(rest, { pollMs: 20, idlePollMs: 20 });
      let followed = 0;
      const counted: EventFeed = {
        mode: inner.mode,
        follow(id) {
          followed++;
          return inner.follow(id);
        },
      };
      const feed = fanOutFeed(counted, {
        readAfter: (id, afterId, limit) => rest.readEvents(id, { afterId, limit }),
        minIntervalMs: 20,
      });
      const stop = new AbortController();
      setMaxListeners(100, stop.signal);
      const followers = Array.from({ length: 30 }, () => feed.follow(TEST_ID));
      const views = followers.map((f) => view(f, '0-0', 1, stop.signal));
      await rest.appendEvents(TEST_ID, 'run-rest', [step('over REST')]);
      for (const events of await Promise.all(views)) expect(events.at(-1)?.message).toBe('over REST');
      expect(feed.mode).toBe('poll');
      expect(followed).toBe(1);
      stop.abort(new Error('test over'));
      await Promise.all(followers.map((f) => f.close()));
      // A view opened after every other closed starts a fresh follower.
      const again = feed.follow(TEST_ID);
      const fresh = new AbortController();
      expect((await again.next('0-0', 1_000, fresh.signal)).length).toBeGreaterThan(0);
      await again.close();
      expect(followed).toBe(2);
    } finally {
      await rest.close();
      await bridge.close();
    }
  });

  it('reads at most one command a second for the whole process, however many views of however many tests', async () => {
    const bridge = await startUpstashBridge({ redisUrl: server.url });
    const rest = createUpstashStore({
      url: bridge.url,
      token: bridge.token,
      prefix: 'fan-pace:',
      retries: 0,
    });
    try {
      const feed = fanOutFeed(createEventFeed(rest, {}), {
        readAfter: (id, afterId, limit) => rest.readEvents(id, { afterId, limit }),
      });
      const stop = new AbortController();
      setMaxListeners(100, stop.signal);
      const tests = ['pace-a', 'pace-b', 'pace-c'];
      const mark = bridge.requests.length;
      const started = Date.now();
      // 30 views, 10 per test, each waiting for 8 events while a run writes one every 100 ms.
      const followers = tests.flatMap((t) => Array.from({ length: 10 }, () => ({ t, f: feed.follow(t) })));
      const views = followers.map(({ f }) => view(f, '0-0', 8, stop.signal));
      for (let i = 0; i < 8; i++) {
        for (const t of tests) await rest.appendEvents(t, 'run-pace', [step(`step ${i}`)]);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const events of await Promise.all(views)) expect(events).toHaveLength(8);
      const elapsed = Date.now() - started;
      const reads = bridge.requests
        .slice(mark)
        .flatMap((r) => r.commands)
        .filter((c) => c[0] === 'XRANGE' || c[0] === 'XREAD');
      // Reads start 1 s apart: one per started second of the run, plus the first.
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(Math.floor(elapsed / 1000) + 1);
      stop.abort(new Error('test over'));
      await Promise.all(followers.map(({ f }) => f.close()));
    } finally {
      await rest.close();
      await bridge.close();
    }
  });
});
