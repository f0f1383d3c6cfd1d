/**
 * Opening a live view (`/events`) reads the test's hash, not the test page's data: with a 300 KB
 * failure screenshot stored, the page reads it (it shows when it was taken) but a live view must
 * not, or 100 open views would pull 30 MB from Redis at every reconnect.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore, RedisStore } from '../../../src/adapters/store/index.js';
import { countingTransport } from '../../support/dashboard-history.js';
import { testRedisUrl } from '../../support/redis.js';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';
import { get, signIn } from './http-client.js';

const SHOT_BYTES = 300_000;

/** Opens a live view; resolves with its status once the first bytes arrived, and a way to close it. */
function openLive(url: string, cookie: string): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { cookie } }, (res) => {
      res.once('data', () => resolve({ status: res.statusCode ?? 0, close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a live view', () => {
  let h: DashboardHarness;
  let counter: ReturnType<typeof countingTransport>;
  beforeAll(async () => {
    h = await startDashboard({
      store: (prefix) => {
        counter = countingTransport(createTcpStore({ url: testRedisUrl(), prefix }).transport);
        return new RedisStore(counter, { prefix });
      },
    });
    await seedShop(h);
    const shot = { runId: 'r-shot', at: Date.now(), pngBase64: 'A'.repeat(SHOT_BYTES) };
    await h.setRaw('shot:acme--shop--checkout', JSON.stringify(shot));
  });
  afterAll(async () => h?.close());

  it('reads far less from Redis than the test page, whose screenshot it does not need', async () => {
    const { cookie } = await signIn(h, PEOPLE.writer);
    counter.bytes = 0;
    const page = await get(`${h.url}/r/acme/shop/checkout`, cookie);
    expect(page.status).toBe(200);
    const pageBytes = counter.bytes;
    expect(pageBytes).toBeGreaterThan(SHOT_BYTES);
    counter.bytes = 0;
    const live = await openLive(`${h.url}/r/acme/shop/checkout/events`, cookie);
    const liveBytes = counter.bytes;
    live.close();
    expect(live.status).toBe(200);
    expect(liveBytes).toBeLessThan(SHOT_BYTES / 10);
  });
});
