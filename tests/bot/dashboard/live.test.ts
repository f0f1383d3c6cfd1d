/**
 * The live view's server-sent events over real HTTP, with the TCP store (XREAD BLOCK) and with the
 * Upstash REST store through the bridge (XRANGE polling): events carry their stream ids, and a
 * reconnect with Last-Event-ID resumes right after the last one seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore } from '../../../src/adapters/store/index.js';
import { testRedisUrl } from '../../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';
import { signIn } from './http-client.js';

interface Sse {
  id: string;
  data: { type: string; message: string; runId: string };
}

/**
 * Opens the live route and resolves once its headers arrived: the server has fixed where it starts
 * reading by then (it answers only after that), so what is written afterwards is streamed.
 */
async function openEvents(url: string, cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  /** Reads `count` events, then closes the connection. */
  return async function read(count: number): Promise<Sse[]> {
    const out: Sse[] = [];
    let buffer = '';
    while (out.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const id = /^id: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (id && data) out.push({ id, data: JSON.parse(data) as Sse['data'] });
        cut = buffer.indexOf('\n\n');
      }
    }
    controller.abort();
    return out;
  };
}

const step = (message: string) => ({ type: 'step' as const, message, at: Date.now() });

for (const kind of ['tcp', 'upstash'] as const) {
  describe(`live events over ${kind}`, () => {
    let h: DashboardHarness;
    let bridge: UpstashBridge | undefined;
    let cookie: string;
    const path = '/r/acme/shop/checkout/events';
    beforeAll(async () => {
      if (kind === 'upstash') bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
      h = await startDashboard(
        bridge
          ? {
              store: (prefix) => createUpstashStore({ url: bridge!.url, token: bridge!.token, prefix }),
              dashboard: { feed: { pollMs: 100 } },
            }
          : {},
      );
      await seedShop(h);
      ({ cookie } = await signIn(h, PEOPLE.writer));
    });
    afterAll(async () => {
      await h?.close();
      await bridge?.close();
    });

    it('streams events written after the page opened, each with its stream id', async () => {
      const read = await openEvents(`${h.url}${path}`, cookie);
      await h.store.appendEvents('acme--shop--checkout', 'run-live', [step('navigate'), step('click "Add"')]);
      const events = await read(2);
      expect(events.map((e) => e.data.message)).toEqual(['navigate', 'click "Add"']);
      expect(events.every((e) => /^\d+-\d+$/.test(e.id) && e.data.runId === 'run-live')).toBe(true);
    });

    it('resumes after Last-Event-ID on a reconnect', async () => {
      await h.store.appendEvents('acme--shop--checkout', 'run-resume', [
        step('one'),
        step('two'),
        step('three'),
      ]);
      const all = await h.store.readEvents('acme--shop--checkout');
      const one = all.find((e) => e.message === 'one')!;
      const events = await (await openEvents(`${h.url}${path}`, cookie, one.streamId))(2);
      expect(events.map((e) => e.data.message)).toEqual(['two', 'three']);
    });
  });
}
