/**
 * The dashboard's live view (server-sent events from `events:{id}`), over real HTTP with a signed-in
 * session, against a real local redis-server:
 *
 * 1. Latency from "event written" (just before `appendEvents`) to "event received" by an SSE client,
 *    p50 / p95 over 200 events, with the TCP store (XREAD BLOCK) and with the Upstash REST store
 *    through the bridge (XRANGE polling, default intervals).
 * 2. Redis requests one open live view costs over Upstash REST: the first minute (events recent:
 *    one XRANGE a second) and the next (quiet for over 60 s: one every 5 s), counted at the bridge.
 *
 * Run: npm run bench live   (takes about 3 minutes: the request counts are real minutes)
 */
import { randomUUID } from 'node:crypto';
import { createStore, createUpstashStore, type RedisStore } from '../src/adapters/store/index.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';
import { signIn, startReadApp } from './_read-app.js';

const TEST_ID = 'acme--shop--checkout';
const redis = await startRedisServer();
const bridge = await startUpstashBridge({ redisUrl: redis.url });
const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/shop'] }] });
gh.setPermission('acme/shop', 'alice', 'write');

async function startApp(store: RedisStore) {
  const { url, server } = await startReadApp(gh, store);
  await store.applySync('acme/shop', {
    upsert: [
      {
        definition: {
          id: TEST_ID,
          slug: 'checkout',
          repo: 'acme/shop',
          name: 'Checkout',
          url: 'https://shop.example/',
          goal: 'buy',
          timeout: 60,
          retries: 0,
          failureThreshold: 2,
          recoveryThreshold: 1,
          agent: 'claude',
          maxSteps: 10,
          allowedHosts: [],
          secrets: [],
        },
        contentHash: 'h',
        updatedAt: Date.now(),
      },
    ],
    remove: [],
  });
  return { url, close: () => server.close() };
}

/** Opens the live view; `onEvent` gets each event's message and the time it arrived. */
async function openLive(url: string, cookie: string, onEvent: (message: string, at: number) => void) {
  const controller = new AbortController();
  const res = await fetch(`${url}/r/acme/shop/checkout/events`, {
    headers: { cookie },
    signal: controller.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const data = /^data: (.+)$/m.exec(buffer.slice(0, cut))?.[1];
        buffer = buffer.slice(cut + 2);
        if (data) onEvent((JSON.parse(data) as { message: string }).message, performance.now());
        cut = buffer.indexOf('\n\n');
      }
    }
  })();
  return {
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

async function latency(label: string, store: RedisStore, count: number, pauseMs: number): Promise<void> {
  const app = await startApp(store);
  const cookie = await signIn(gh, app.url);
  const written = new Map<string, number>();
  const received: number[] = [];
  let waiting: (() => void) | undefined;
  const live = await openLive(app.url, cookie, (message, at) => {
    const t0 = written.get(message);
    if (t0 !== undefined) received.push(at - t0);
    waiting?.();
  });
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < count; i++) {
    const message = `step ${i} ${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    written.set(message, performance.now());
    await store.appendEvents(TEST_ID, 'bench-run', [{ type: 'step', message, at: Date.now() }]);
    await arrived;
    // A real run's steps come at any moment relative to the poller: a random pause of up to two
    // polling intervals keeps the phase random (a fixed short pause would always land just after a poll).
    await new Promise((r) => setTimeout(r, Math.random() * pauseMs));
  }
  await live.close();
  await app.close();
  console.log(
    `${label}: event written → received by the SSE client, ${received.length} events: p50 ${pct(received, 50).toFixed(1)} ms, p95 ${pct(received, 95).toFixed(1)} ms, max ${Math.max(...received).toFixed(1)} ms`,
  );
}

const tcp = createStore({ REDIS_URL: redis.url }, { prefix: 'bench-live-tcp:' })!;
await latency('TCP store (XREAD BLOCK)', tcp, 200, 100);
const rest = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: 'bench-live-rest:' });
await latency('Upstash REST store (XRANGE polling, 1 s)', rest, 60, 2000);

// Requests per minute of one open, idle live view over REST.
const app = await startApp(rest);
const cookie = await signIn(gh, app.url);
await rest.appendEvents(TEST_ID, 'bench-run', [{ type: 'step', message: 'start', at: Date.now() }]);
const live = await openLive(app.url, cookie, () => {});
await new Promise((r) => setTimeout(r, 1000));
bridge.reset();
await new Promise((r) => setTimeout(r, 60_000));
const first = bridge.count();
bridge.reset();
await new Promise((r) => setTimeout(r, 60_000));
const second = bridge.count();
await live.close();
await app.close();
console.log(
  `Upstash REST, one open live view: ${first} requests in its first minute (events recent), ${second} in the next (quiet)`,
);
await tcp.close();
await rest.close();
await bridge.close();
await gh.close();
await redis.stop();
