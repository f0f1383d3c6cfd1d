/**
 * The in-process scheduler of `housecat up`, driven by its own clock: ticks on the cron (an `H` cron
 * resolved for the test's id included), never a tick twice, nothing at start for a tick that already
 * passed, skipped ticks reported before the latest one is delivered, and a reload that keeps the
 * last tick of an unchanged test.
 */
import { describe, expect, it } from 'vitest';
import { createLocalSchedule, type SkippedTicks } from '../../src/app/local-schedule.js';
import { scheduledCron } from '../../src/core/scheduling/hashed-cron.js';
import { skippedTicks } from '../../src/core/scheduling/local-ticks.js';
import { makeTest } from '../support/test-definitions.js';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const MIN = 60_000;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function harness(everyMs?: number) {
  const clock = { t: T0 + 30_000, now: () => clock.t };
  const events: string[] = [];
  const skipped: SkippedTicks[][] = [];
  const schedule = createLocalSchedule({
    clock,
    logger: quiet,
    timers: false,
    ...(everyMs ? { everyMs } : {}),
    deliver: async (test, tick) => {
      events.push(`${test.slug}@${(tick - T0) / MIN}`);
    },
    onSkipped: async (s) => {
      events.push(`skipped ${s.map((x) => `${x.test.slug}:${x.count}`).join(',')}`);
      skipped.push(s);
    },
  });
  return { clock, events, skipped, schedule };
}

describe('the in-process scheduler', () => {
  it('fires each test on its own cron, once per tick, and not for a tick that passed before start', async () => {
    const { clock, events, schedule } = harness();
    schedule.set([
      makeTest('every', { schedule: '* * * * *' }),
      makeTest('five', { schedule: '*/5 * * * *' }),
    ]);
    await schedule.checkNow();
    expect(events).toEqual([]);
    for (const minute of [1, 2, 3, 4, 5]) {
      clock.t = T0 + minute * MIN + 10;
      await schedule.checkNow();
      await schedule.checkNow();
    }
    expect(events).toEqual(['every@1', 'every@2', 'every@3', 'every@4', 'every@5', 'five@5']);
    expect(schedule.upcoming().map((u) => [u.test.slug, (Number(u.at) - T0) / MIN])).toEqual([
      ['every', 6],
      ['five', 10],
    ]);
  });

  it('fires an H cron at the minute its QStash schedule would', async () => {
    const { clock, events, schedule } = harness();
    const test = makeTest('hashed', { schedule: scheduledCron('H * * * *', 'acme--shop--hashed', false) });
    const minute = Number(test.schedule?.split(' ')[0]);
    expect(minute).toBeGreaterThanOrEqual(0);
    schedule.set([test]);
    for (let m = 1; m <= 60; m++) {
      clock.t = T0 + m * MIN + 10;
      await schedule.checkNow();
    }
    expect(events).toEqual([`hashed@${minute === 0 ? 60 : minute}`]);
  });

  it('fires a test spread to its second of the minute at that second, as QStash’s delay would', async () => {
    const { clock, events, schedule } = harness();
    schedule.set([
      makeTest('second', { schedule: '*/5 * * * *', scheduleSecond: 27 }),
      makeTest('plain', { schedule: '*/5 * * * *' }),
    ]);
    clock.t = T0 + 5 * MIN + 10;
    await schedule.checkNow();
    expect(events).toEqual(['plain@5']);
    expect(schedule.upcoming().map((u) => [u.test.slug, (Number(u.at) - T0) / 1000])).toEqual([
      ['second', 5 * 60 + 27],
      ['plain', 10 * 60],
    ]);
    clock.t = T0 + 5 * MIN + 27_010;
    await schedule.checkNow();
    await schedule.checkNow();
    // Handed over with its due time (the tick + 27 s): lateness counts from there.
    expect(events).toEqual(['plain@5', 'second@5.45']);
  });

  it('reports skipped ticks (the machine slept) before it delivers the latest one', async () => {
    const { clock, events, skipped, schedule } = harness();
    schedule.set([makeTest('every', { schedule: '* * * * *' })]);
    clock.t = T0 + MIN + 10;
    await schedule.checkNow();
    // 42 minutes asleep: ticks 2..42 were never seen; 43 is due now.
    clock.t = T0 + 43 * MIN + 10;
    await schedule.checkNow();
    expect(events).toEqual(['every@1', 'skipped every:41', 'every@43']);
    expect(skipped[0]?.[0]?.since).toBe(T0 + MIN);
  });

  it('keeps the last tick of a test whose cron did not change across a reload', async () => {
    const { clock, events, schedule } = harness();
    const test = makeTest('every', { schedule: '* * * * *' });
    schedule.set([test]);
    clock.t = T0 + MIN + 10;
    await schedule.checkNow();
    schedule.set([{ ...test, name: 'Renamed' }, makeTest('added', { schedule: '* * * * *' })]);
    await schedule.checkNow();
    clock.t = T0 + 2 * MIN + 10;
    await schedule.checkNow();
    expect(events).toEqual(['every@1', 'every@2', 'added@2']);
  });

  it('ticks every N ms with the test knob', async () => {
    const { clock, events, schedule } = harness(2000);
    schedule.set([makeTest('fast', { schedule: '0 0 1 1 *' })]);
    clock.t += 2000;
    await schedule.checkNow();
    clock.t += 2000;
    await schedule.checkNow();
    expect(events).toHaveLength(2);
    expect(skippedTicks('* * * * *', T0, T0 + 3 * MIN)).toBe(2);
  });
});
