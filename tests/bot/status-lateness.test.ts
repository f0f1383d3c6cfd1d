/**
 * Lateness and maintenance in the status data: scheduled deliveries sent late by the QStash
 * stand-in (on its fast-forwarded cron clock, which the app reads too) reach the read API and the
 * public page as p50/p95 lateness from the hourly rollups, equal to the raw results' at bucket
 * resolution; a maintenance window open now shows on the test it covers, and only there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQStashScheduler } from '../../src/adapters/qstash/scheduler.js';
import { RedisStore } from '../../src/adapters/store/index.js';
import { statusStoreOf } from '../../src/adapters/store/status-store.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { hourOf, summarizeResults } from '../../src/core/status/rollup.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, startHarness } from './harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Yesterday 10:00 UTC: recent enough that retention keeps the results. */
const START = Math.floor(Date.now() / DAY) * DAY - DAY + 10 * 60 * MIN;

interface WindowJson {
  latenessP50Ms: number | null;
  latenessP95Ms: number | null;
}
interface TestJson {
  slug: string;
  windows: Record<'24h' | '7d' | '30d', WindowJson>;
  maintenance: { since: string; until: string } | null;
}

describe('lateness and maintenance in the status data', () => {
  let qstash: QStashServer;
  let h: Harness;
  const late = makeTest('late', { schedule: '*/15 * * * *' });
  // Opens every day at 00:00 for 23 h 59 min, so the stand-in's "now" is inside it; its own
  // schedule (1 January) does not fire while the clock is fast-forwarded.
  const paused = makeTest('paused', {
    schedule: '0 0 1 1 *',
    maintenance: [{ schedule: '0 0 * * *', durationMs: 24 * 60 * MIN - MIN }],
  });

  beforeAll(async () => {
    qstash = await startQStashServer({ start: START });
    h = await startHarness({
      clock: { now: () => qstash.now() },
      signing: { current: qstash.currentSigningKey, next: qstash.nextSigningKey },
      localPublicUrl: true,
    });
    if (!(h.store instanceof RedisStore)) throw new Error('the harness store must be the Redis store');
    await syncTests(
      {
        store: h.store,
        scheduler: createQStashScheduler({ token: qstash.token, baseUrl: qstash.url }),
        clock: { now: () => qstash.now() },
        statusPages: statusStoreOf(h.store),
      },
      {
        repo: 'acme/shop',
        tests: [late, paused],
        callbackUrl: h.publicUrl,
        statusPage: { public: true, showGoals: false },
      },
    );
    // Four ticks: one delivered 90 s late, three 3 s late.
    for (const lateMs of [90_000, 3000, 3000, 3000]) await qstash.advance(15 * MIN, { lateMs });
  });
  afterAll(async () => {
    await h?.close();
    await qstash?.close();
  });

  async function repoJson(): Promise<{ tests: TestJson[] }> {
    const res = await fetch(`${h.url}/api/v1/status/acme/shop`);
    expect(res.status).toBe(200);
    return (await res.json()) as { tests: TestJson[] };
  }

  it('shows p50/p95 lateness per test in the read API, equal to the raw results at bucket resolution', async () => {
    const results = await h.store.getResults(late.id, { to: Number.MAX_SAFE_INTEGER });
    expect(results.map((r) => r.latenessMs)).toEqual([3000, 3000, 3000, 90_000]);
    const toHour = hourOf(qstash.now());
    const raw = summarizeResults(results, toHour - 23, toHour);
    const body = await repoJson();
    const test = body.tests.find((t) => t.slug === 'late');
    expect(test?.windows['24h']).toMatchObject({
      latenessP50Ms: raw.latenessP50Ms,
      latenessP95Ms: raw.latenessP95Ms,
    });
    // 3 s lies in the bucket up to 5 s, 90 s in the one up to 2 min.
    expect(test?.windows['24h']).toMatchObject({ latenessP50Ms: 5000, latenessP95Ms: 120_000 });
    expect(test?.windows['7d'].latenessP95Ms).toBe(120_000);
    const paused = body.tests.find((t) => t.slug === 'paused');
    expect(paused?.windows['24h']).toMatchObject({ latenessP50Ms: null, latenessP95Ms: null });
  });

  it('shows an active maintenance window with when it opened and closes, on the test it covers only', async () => {
    const body = await repoJson();
    const opened = Math.floor(qstash.now() / DAY) * DAY;
    expect(body.tests.find((t) => t.slug === 'paused')?.maintenance).toEqual({
      since: new Date(opened).toISOString(),
      until: new Date(opened + 24 * 60 * MIN - MIN).toISOString(),
    });
    expect(body.tests.find((t) => t.slug === 'late')?.maintenance).toBeNull();
    const detail = await fetch(`${h.url}/api/v1/status/acme/shop/paused`);
    expect(((await detail.json()) as { test: TestJson }).test.maintenance).not.toBeNull();
  });

  it('shows the window and the lateness figures on the public page', async () => {
    const res = await fetch(`${h.url}/status/acme/shop`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Maintenance window until');
    expect(html).toContain('Late p95 (7 d)');
  });
});
