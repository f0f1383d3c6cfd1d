/**
 * Liveness and readiness against a real redis-server that goes away and comes back: `/readyz`
 * follows Redis (503 with the reason within 2 s of it going away, 200 again once it is back) while
 * `/healthz` keeps answering 200, because restarting the process would not bring Redis back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { type RestartableRedisServer, startRedisServer } from '../support/redis-server.js';
import { type Harness, startHarness } from './harness.js';

async function get(url: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('/healthz and /readyz while Redis goes away and comes back', () => {
  let redis: RestartableRedisServer;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedisServer();
    // The store's own deadline is longer than the readiness bound: /readyz must not wait for it.
    h = await startHarness({
      store: (prefix) => createStore({ REDIS_URL: redis.url }, { prefix, timeoutMs: 10_000 })!,
      metricsToken: 'readiness-metrics',
    });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('answers 200 on both while Redis answers', async () => {
    expect(await get(`${h.url}/readyz`)).toMatchObject({ status: 200, json: { ok: true } });
    expect(await get(`${h.url}/healthz`)).toMatchObject({ status: 200, json: { ok: true } });
  });

  it('answers 503 with the reason within 2 s of Redis going away, 200 on /healthz, and 200 again once it is back', async () => {
    await redis.kill();
    const killedAt = Date.now();
    // The first readiness answer after the kill already says not ready: no polling until it does.
    const down = await get(`${h.url}/readyz`);
    const answeredMs = Date.now() - killedAt;
    expect(down.status, JSON.stringify(down.json)).toBe(503);
    expect(down.json.ok).toBe(false);
    expect(String(down.json.reason)).toMatch(/Redis/);
    expect(answeredMs, 'the issue asks for 503 within 2 s of Redis going away').toBeLessThan(2000);
    expect(await get(`${h.url}/healthz`)).toMatchObject({ status: 200, json: { ok: true } });
    // The failed PING is counted as a Redis error on /metrics.
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer readiness-metrics' } })
    ).text();
    expect(Number(metrics.match(/^housecat_redis_errors_total (\d+)$/m)?.[1])).toBeGreaterThanOrEqual(1);

    await redis.restart();
    // The store's client gives up its reconnect attempts (a few hundred ms) and the next command
    // connects afresh: ask until it says ready, for at most 10 s.
    const backAt = Date.now();
    let up = await get(`${h.url}/readyz`);
    while (up.status !== 200 && Date.now() - backAt < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      up = await get(`${h.url}/readyz`);
    }
    expect(up, `ready again once Redis is back: ${JSON.stringify(up.json)}`).toMatchObject({
      status: 200,
      json: { ok: true },
    });
    expect(await get(`${h.url}/healthz`)).toMatchObject({ status: 200 });
  });

  it('takes only GET and HEAD, like every public route', async () => {
    const res = await fetch(`${h.url}/readyz`, { method: 'POST' });
    expect(res.status).toBe(405);
  });
});
