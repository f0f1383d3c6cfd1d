/**
 * A person's open live views are capped per process: each holds a Redis reader, so the sixth tab
 * is told to close one instead of opening another connection; closing one frees its place.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';
import { signIn } from './http-client.js';

/** Opens a live view; resolves with its status once the headers arrived, and a way to close it. */
function openLive(url: string, cookie: string): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { cookie } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live view cap', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboard();
    await seedShop(h);
  });
  afterAll(async () => h?.close());

  it('refuses a sixth open live view of one person and accepts one again after a view closes', async () => {
    const { cookie } = await signIn(h, PEOPLE.writer);
    const url = `${h.url}/r/acme/shop/checkout/events`;
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await openLive(url, cookie));
    expect(views.map((v) => v.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await openLive(url, cookie);
    expect(sixth.status).toBe(429);
    // Someone else is not affected by alice's tabs.
    const bob = await openLive(url, (await signIn(h, PEOPLE.reader)).cookie);
    expect(bob.status).toBe(200);
    bob.close();
    views[0]?.close();
    let again = await openLive(url, cookie);
    // The server frees the place when it sees the close; retry until it has (event-driven on its side).
    while (again.status === 429) {
      await new Promise((r) => setTimeout(r, 50));
      again = await openLive(url, cookie);
    }
    expect(again.status).toBe(200);
    for (const v of [...views, again]) v.close();
  });
});
