/**
 * Following `events:{id}`: over TCP the follower waits in XREAD BLOCK on a connection of its own
 * and wakes when an event is written; over Upstash REST (the bridge) it polls XRANGE at a bounded
 * rate. Both resume strictly after the id they are given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventFeed } from '../../../src/adapters/store/event-follower.js';
import { createTcpStore, createUpstashStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';

const event = (message: string) => ({ type: 'step' as const, message, at: Date.now() });

let bridge: UpstashBridge;
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => bridge.close());

describe('event feed over TCP', () => {
  let store: RedisStore;
  beforeAll(() => {
    store = createTcpStore({ url: testRedisUrl(), prefix: uniquePrefix('feed') });
  });
  afterAll(async () => store.close());

  it('blocks until an event is written, then returns it', async () => {
    const feed = createEventFeed(store);
    expect(feed.mode).toBe('block');
    const follower = feed.follow('t1');
    try {
      const waiting = follower.next('0-0', 20_000, new AbortController().signal);
      await new Promise((r) => setTimeout(r, 200)); // the read is blocked by now
      // The shared connection stays free while the follower blocks on its own.
      await store.appendEvents('t1', 'run-1', [event('step 1')]);
      const events = await waiting;
      expect(events.map((e) => [e.message, e.runId])).toEqual([['step 1', 'run-1']]);
    } finally {
      await follower.close();
    }
  });

  it('resumes strictly after the id it is given', async () => {
    await store.appendEvents('t2', 'run-2', [event('a'), event('b'), event('c')]);
    const all = await store.readEvents('t2');
    const follower = createEventFeed(store).follow('t2');
    try {
      const events = await follower.next(all[0]!.streamId, 1000, new AbortController().signal);
      expect(events.map((e) => e.message)).toEqual(['b', 'c']);
    } finally {
      await follower.close();
    }
  });

  it('stops a blocked read when the page goes away', async () => {
    const follower = createEventFeed(store).follow('t3');
    const controller = new AbortController();
    const waiting = follower.next('0-0', 60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('closed')), 100);
    await expect(waiting).rejects.toThrow();
    await follower.close();
  });
});

describe('event feed over Upstash REST', () => {
  it('polls with XRANGE from the last id, at most once per interval', async () => {
    const store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: uniquePrefix('feed') });
    const feed = createEventFeed(store, { pollMs: 100 });
    expect(feed.mode).toBe('poll');
    const follower = feed.follow('t4');
    bridge.reset();
    const quiet = await follower.next('0-0', 1000, new AbortController().signal);
    expect(quiet).toEqual([]);
    // 1000 ms at one read per 100 ms: about 10 reads, never a busy loop.
    expect(bridge.count()).toBeLessThanOrEqual(12);
    expect(bridge.requests.every((r) => r.commands[0]?.[0] === 'XRANGE')).toBe(true);
    const waiting = follower.next('0-0', 5000, new AbortController().signal);
    await store.appendEvents('t4', 'run-4', [event('over REST')]);
    expect((await waiting).map((e) => e.message)).toEqual(['over REST']);
  });
});
