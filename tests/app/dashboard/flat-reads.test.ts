/**
 * The dashboard's home and test pages read the same number of bytes from Redis for a test with a
 * day of one-a-minute history as for one with 30 days (43,200 results): rollups summed in Redis and
 * the newest N results, never the whole `results:{id}` (issue 23 measured 9.8 MB a view before).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeView, TEST_PAGE_RUNS, testView } from '../../../src/app/dashboard/views.js';
import type { RepoAccess } from '../../../src/core/dashboard/access.js';
import { createSealer } from '../../../src/core/dashboard/sealer.js';
import { hourOf, summarizeHours } from '../../../src/core/status/rollup.js';
import { pageHours } from '../../../src/core/status/view.js';
import { countedHistoryViews } from '../../support/dashboard-history.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';

const NOW = Date.UTC(2026, 11, 7, 15, 20);
const access: RepoAccess = { repo: 'acme/shop', installationId: 1, permission: 'write' };
const sealer = createSealer(['a-sealing-secret-of-at-least-32-characters!']);

/** A store of its own for each history length, so the home page sees only that test. */
async function pageWith(days: number) {
  const prefix = uniquePrefix(`flat${days}`);
  const { deps, counter, slug, close } = await countedHistoryViews(testRedisUrl(), prefix, days, NOW, sealer);
  const measure = async (view: () => Promise<unknown>) => {
    counter.bytes = 0;
    const value = await view();
    return { bytes: counter.bytes, value };
  };
  return { close, slug, deps, measure };
}

let day: Awaited<ReturnType<typeof pageWith>>;
let month: Awaited<ReturnType<typeof pageWith>>;
beforeAll(async () => {
  day = await pageWith(1);
  month = await pageWith(30);
}, 120_000);
afterAll(async () => {
  await day?.close();
  await month?.close();
});

const within10 = (a: number, b: number) => Math.abs(a - b) / Math.min(a, b);

describe('dashboard reads as history grows', () => {
  it('reads the same bytes for the test page with 1 day and 30 days of history', async () => {
    const a = await day.measure(() => testView(day.deps, access, day.slug));
    const b = await month.measure(() => testView(month.deps, access, month.slug));
    console.info(`test page: ${a.bytes} bytes (1 day), ${b.bytes} bytes (30 days)`);
    expect(within10(a.bytes, b.bytes)).toBeLessThanOrEqual(0.1);
    // Still the page it was: the newest runs, and 30-day figures over the whole month.
    const view = b.value as NonNullable<Awaited<ReturnType<typeof testView>>>;
    expect(view.runs).toHaveLength(TEST_PAGE_RUNS);
    // The 30-day window is 720 whole hours up to this one: the oldest 40 minutes fall before it.
    expect(view.lateness.runs).toBe(43_160);
    expect(view.summary.uptime.d30).toBeCloseTo(1 - 445 / 43_160, 3);
    expect(view.chart).toHaveLength(28);
    const short = a.value as NonNullable<Awaited<ReturnType<typeof testView>>>;
    expect(short.lateness.runs).toBe(1_440);
    // A day of runs touches 5 of the six-hour slots (they are aligned to the current hour, not to midnight).
    expect(short.chart).toHaveLength(5);
  });

  it('sums the rollups in Redis to the figures the status pages compute from the raw hours', async () => {
    const view = await testView(month.deps, access, month.slug);
    const { test } = await month.deps.status.readTestStatus('acme/shop', month.slug, {
      recent: 1,
      ...pageHours(NOW),
    });
    if (!view || !test) throw new Error('the seeded test is missing');
    const toHour = hourOf(NOW);
    const window = (hours: number) => summarizeHours(test.hours, toHour - hours + 1, toHour);
    const [day, week, thirty] = [window(24), window(7 * 24), window(30 * 24)];
    expect(view.summary.uptime).toEqual({ d1: day.uptime, d7: week.uptime, d30: thirty.uptime });
    expect([view.summary.p50, view.summary.p95]).toEqual([day.p50Ms, day.p95Ms]);
    expect(view.lateness).toMatchObject({
      runs: thirty.latenessSamples,
      p50Ms: thirty.latenessP50Ms,
      p95Ms: thirty.latenessP95Ms,
    });
    // Lateness 800..2000 ms: the worst run sits in the bucket that ends at 2000 ms.
    expect(view.lateness.maxMs).toBe(2000);
  });

  it('reads at most 7 days of rollups for the home page, however long the history', async () => {
    const a = await day.measure(() => homeView(day.deps, [access]));
    const b = await month.measure(() => homeView(month.deps, [access]));
    console.info(`home page: ${a.bytes} bytes (1 day), ${b.bytes} bytes (30 days)`);
    // The home page shows uptime over 7 days (issue 29): 30 days of history cost at most the 7 days
    // of hourly fields a week holds (7× a day's), never the 30× an unbounded read would.
    expect(b.bytes / a.bytes).toBeLessThanOrEqual(7.5);
    const [repo] = b.value as Awaited<ReturnType<typeof homeView>>;
    expect(repo?.tests.map((t) => [t.test.definition.slug, t.state])).toEqual([[month.slug, 'failed']]);
  });
});
