import { describe, expect, it } from 'vitest';
import type { TestDefinition } from '../../../src/core/types.js';
import { cronVolume, estimateCost } from '../../../src/core/usage/cost-model.js';
import { renderCostReport } from '../../../src/core/usage/cost-render.js';
import { SERVICE_PRICES } from '../../../src/core/usage/service-prices.js';
import { makeTest } from '../../support/test-definitions.js';

const checks = (count: number, schedule: string): TestDefinition[] =>
  Array.from({ length: count }, (_, i) => makeTest(`t${i}`, { schedule, agent: 'checks' }));

describe('cronVolume', () => {
  it('counts firings a day, on average and on the busiest day', () => {
    expect(cronVolume('*/5 * * * *')).toEqual({ perDay: 288, busiestDay: 288 });
    const weekdays = cronVolume('*/5 * * * MON-FRI');
    expect(weekdays.busiestDay).toBe(288);
    expect(weekdays.perDay).toBeCloseTo((288 * 5) / 7, 0);
    // Monthly at 09:00 on the 1st: about once a 30-day month, once on its day.
    expect(cronVolume('0 9 1 * *').perDay * 30).toBeCloseTo(0.986, 2);
    expect(cronVolume('0 9 1 * *').busiestDay).toBe(1);
  });
});

describe('estimateCost', () => {
  it('gives the README figures for 1 test every 5 min: runs and watchdog fit every Free plan', () => {
    const e = estimateCost(checks(1, '*/5 * * * *'));
    expect(e.runsPerMonth).toBe(8_640);
    // 8,640 watchdog calls a month, each 10 commands + 3 for the one stored test.
    expect(e.watchdogRedisPerMonth).toBe(8_640 * 13);
    expect(e.redisCommandsPerMonth).toBe(8_640 * 3 + 8_640 * 13);
    expect(e.qstash).toMatchObject({
      schedules: 2,
      watchdogPerDay: 288,
      messagesPerDay: 576,
      busiestDay: 576,
    });
    expect(e.usd.redis).toBeCloseTo(0.28, 2);
    expect(e.warnings).toEqual([]);
  });

  it('gives the README figures for 10 tests every 15 min, and warns for each QStash Free limit passed', () => {
    const e = estimateCost(checks(10, '*/15 * * * *'));
    expect(e.runsPerMonth).toBe(28_800);
    expect(e.redisCommandsPerMonth).toBe(28_800 * 3 + 8_640 * 40);
    expect(e.usd.redis).toBeCloseTo(0.86, 2);
    expect(e.qstash.messagesPerDay).toBe(960 + 288);
    expect(e.usd.qstash).toBeCloseTo(0.37, 2);
    // 432,000 Redis commands a month fit the Free plan; QStash Free does not.
    expect(e.warnings).toHaveLength(2);
    expect(e.warnings[0]).toMatch(/QStash Free allows 1,000 messages a day; this file sends up to 1,248/);
    expect(e.warnings[1]).toMatch(/QStash Free allows 10 active schedules; this file needs 11/);
  });

  it('gives the README figures for 100 tests every 5 min', () => {
    const e = estimateCost(checks(100, '*/5 * * * *'));
    expect(e.runsPerMonth).toBe(864_000);
    expect(e.redisCommandsPerMonth).toBe(864_000 * 3 + 8_640 * 310);
    expect(e.usd.redis).toBeCloseTo(10.54, 2);
    expect(e.qstash.messagesPerMonth).toBe(872_640);
    expect(e.usd.qstash).toBeCloseTo(8.73, 2);
    expect(e.warnings[0]).toMatch(/needs about 5,270,400, so the plan runs out after about 2 days/);
  });

  it('counts goal runs at the goal figure, ignores tests without a schedule, and has no watchdog then', () => {
    const goal = makeTest('g', { schedule: '0 * * * *', agent: 'claude', goal: 'x' });
    const unscheduled = makeTest('u', { agent: 'checks' });
    const both = estimateCost([goal, unscheduled]);
    // The watchdog reads every stored test, the unscheduled one too.
    expect(both.watchdogRedisPerMonth).toBe(8_640 * 16);
    expect(both.tests).toEqual([
      expect.objectContaining({ testId: goal.id, runsPerMonth: 720, redisPerRun: 5, redisPerMonth: 3_600 }),
    ]);
    const none = estimateCost([unscheduled]);
    expect(none).toMatchObject({
      unscheduled: 1,
      runsPerMonth: 0,
      redisCommandsPerMonth: 0,
      watchdogRedisPerMonth: 0,
    });
    expect(none.qstash).toMatchObject({ schedules: 0, messagesPerDay: 0 });
  });

  it('prices from the table it is given, so a price change is one edit', () => {
    const doubled = {
      ...SERVICE_PRICES,
      redis: { ...SERVICE_PRICES.redis, paygUsdPer100kCommands: 0.4 },
    };
    const tests = checks(10, '*/15 * * * *');
    expect(estimateCost(tests, doubled).usd.redis).toBeCloseTo(2 * estimateCost(tests).usd.redis, 6);
  });

  it('renders the monthly figures, the plans and the date the prices were read', () => {
    const text = renderCostReport(estimateCost(checks(10, '*/15 * * * *')), 'housecat.yml');
    expect(text).toContain('Cost of housecat.yml: 10 scheduled tests, every run passing.');
    expect(text).toMatch(/Redis commands \(runs \+ watchdog 345,600\/month\) +14,400 +432,000/);
    expect(text).toContain('Free (500,000 commands/month): fits (86% used)');
    expect(text).toContain('Pay as You Go ($0.20 per 100K): $0.86/month');
    expect(text).toMatch(/Prices read \d{4}-\d{2}-\d{2} from https:\/\/upstash.com\/pricing\/redis/);
  });
});
