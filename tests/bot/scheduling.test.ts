/**
 * Scheduled deliveries from the QStash stand-in to the app over real HTTP, on the stand-in's
 * fast-forwarded cron clock (the app's clock reads it, so "late" means late to both): each run
 * records its tick and lateness, a retried message keeps its first tick, a maintenance window turns
 * a failing run into `skipped` without an issue, and flow control caps callbacks in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQStashScheduler } from '../../src/adapters/qstash/scheduler.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { nextTick } from '../../src/core/scheduling/cron-ticks.js';
import type { TestDefinition } from '../../src/core/types.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, startHarness } from './harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Yesterday 10:00 UTC: recent enough that retention keeps the results. */
const START = Math.floor(Date.now() / DAY) * DAY - DAY + 10 * 60 * MIN;

describe('scheduled deliveries', () => {
  let qstash: QStashServer;
  let h: Harness;

  beforeAll(async () => {
    qstash = await startQStashServer({ start: START });
    h = await startHarness({
      clock: { now: () => qstash.now() },
      signing: { current: qstash.currentSigningKey, next: qstash.nextSigningKey },
      localPublicUrl: true,
    });
  });
  afterAll(async () => {
    await h?.close();
    await qstash?.close();
  });

  async function sync(tests: TestDefinition[], parallelism?: number) {
    return syncTests(
      {
        store: h.store,
        scheduler: createQStashScheduler({ token: qstash.token, baseUrl: qstash.url }),
        clock: { now: () => qstash.now() },
      },
      { repo: 'acme/shop', tests, callbackUrl: h.publicUrl, ...(parallelism ? { parallelism } : {}) },
    );
  }

  it('records the tick and lateness of a delivery QStash sends late', async () => {
    const test = makeTest('late-one', { schedule: '*/15 * * * *' });
    await sync([test]);
    const deliveries = (await qstash.advance(15 * MIN, { lateMs: 90_000 })).filter((d) =>
      d.url.endsWith(test.id),
    );
    expect(deliveries.map((d) => d.attempts.map((a) => a.status))).toEqual([[200]]);
    const [result] = await h.store.getResults(test.id, { to: Number.MAX_SAFE_INTEGER });
    expect(result?.tick).toBe(START + 15 * MIN);
    expect(result?.latenessMs).toBe(90_000);
  });

  it('counts a delivery retried 3 times from its original tick', async () => {
    const test = makeTest('late-one', { schedule: '*/15 * * * *' });
    // Another run of the test holds its lock: the first three attempts answer 429, QStash retries
    // 6 minutes apart each (on the cron clock), and the fourth attempt runs, past the next tick.
    await h.store.claim(h.store.claimNames.runLock(test.id), 'someone-else', 10 * MIN);
    const [delivery] = (
      await qstash.advance(15 * MIN, {
        lateMs: 30_000,
        retryClockMs: 6 * MIN,
        beforeAttempt: async (attempt) => {
          if (attempt === 3) await h.store.release(h.store.claimNames.runLock(test.id), 'someone-else');
        },
      })
    ).filter((d) => d.url.endsWith(test.id));
    expect(delivery?.attempts.map((a) => a.status)).toEqual([429, 429, 429, 200]);
    expect(delivery?.attempts.map((a) => a.headers['Upstash-Retried'])).toEqual(['0', '1', '2', '3']);
    const [result] = await h.store.getResults(test.id, { to: Number.MAX_SAFE_INTEGER });
    const tick = START + 30 * MIN;
    expect(qstash.now()).toBeGreaterThan(tick + 15 * MIN); // the retry arrived after the next tick
    expect(result?.tick).toBe(tick);
    expect(result?.latenessMs).toBe(30_000 + 3 * 6 * MIN);
  });

  it('records a failing run inside a maintenance window as skipped and opens no issue', async () => {
    const test = makeTest('in-maintenance', {
      schedule: '* * * * *',
      failureThreshold: 1,
      // Opens every day at 00:00 for 23 h 59 min: "now" is always inside it.
      maintenance: [{ schedule: '0 0 * * *', durationMs: 24 * 60 * MIN - MIN }],
    });
    h.agent.verdict.set(test.id, { status: 'failed', reason: 'text "Welcome" not found' });
    await sync([test]);
    const calls = h.agent.calls.length;
    const deliveries = (await qstash.advance(2 * MIN)).filter((d) => d.url.endsWith(test.id));
    expect(deliveries).toHaveLength(2);
    const results = await h.store.getResults(test.id, { to: Number.MAX_SAFE_INTEGER });
    expect(results.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(results[0]?.reason).toMatch(/^maintenance: inside a maintenance window until /);
    expect(h.agent.calls.length).toBe(calls); // nothing ran
    expect(await h.store.getIncident(test.id)).toBeNull();
    expect(h.gh.issuesOf('acme/shop')).toEqual([]);
  });

  it('keeps callbacks in flight at the flow-control parallelism when 12 schedules fire at once', async () => {
    const tests = Array.from({ length: 12 }, (_, i) => makeTest(`burst-${i}`, { schedule: '0 * * * *' }));
    for (const t of tests) h.agent.verdict.set(t.id, { status: 'passed', delayMs: 300 });
    const outcome = await sync(tests, 3);
    const key = [...qstash.schedules.values()].find((s) => s.scheduleId.endsWith('burst-0'))?.flowControlKey;
    expect(key).toMatch(/^housecat-127\.0\.0\.1-\d+$/);
    expect(outcome.applied).toBe(true);
    const deliveries = (await qstash.advance(60 * MIN, { concurrent: true })).filter((d) =>
      d.url.includes('burst-'),
    );
    expect(deliveries).toHaveLength(12);
    expect(deliveries.every((d) => d.delivered)).toBe(true);
    expect(qstash.maxInFlight(key as string)).toBe(3);
  });

  it('delivers a test spread to its own second that many seconds after the tick, and counts lateness from there', async () => {
    // What resolve.ts makes of `H/15 * * * *`: the minute and the second both hashed from the id.
    const test = makeTest('spread-second', { schedule: '7-59/15 * * * *', scheduleSecond: 27 });
    const other = makeTest('on-the-minute', { schedule: '7-59/15 * * * *' });
    await sync([test, other]);
    expect(qstash.schedules.get(`housecat-${test.id}`)?.delay).toBe(27);
    expect(qstash.schedules.get(`housecat-${other.id}`)?.delay).toBeUndefined();
    const tick = nextTick('7-59/15 * * * *', qstash.now())!;
    const deliveries = await qstash.advance(15 * MIN, { lateMs: 400 });
    // The minute's test at :00 leaves first, the spread one 27 s later.
    expect(
      deliveries.filter((d) => d.url.endsWith(test.id) || d.url.endsWith(other.id)).map((d) => d.url),
    ).toEqual([expect.stringMatching(/on-the-minute$/), expect.stringMatching(/spread-second$/)]);
    const [spread] = await h.store.getResults(test.id, { to: Number.MAX_SAFE_INTEGER });
    const [plain] = await h.store.getResults(other.id, { to: Number.MAX_SAFE_INTEGER });
    expect(plain?.tick).toBe(tick);
    expect(plain?.latenessMs).toBe(400);
    // Due at the tick + 27 s, it came 0.4 s after that: 0.4 s late, not 27.4 s.
    expect(spread?.tick).toBe(tick + 27_000);
    expect(spread?.latenessMs).toBe(400);
  });
});
