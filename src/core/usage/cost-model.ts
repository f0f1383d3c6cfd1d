/**
 * What a definitions file costs to run on Upstash, pure: runs a month from each test's cron, QStash
 * messages (one per scheduled run, plus the watchdog's), Redis commands (the measured figure per
 * run times the runs), and the price of that on the Free and Pay as You Go plans.
 */
import { ticksOnDay } from '../scheduling/cron-ticks.js';
import { WATCHDOG_CRON } from '../scheduling/watchdog.js';
import { DAY_MS as DAY } from '../time.js';
import type { TestDefinition } from '../types.js';
import {
  REDIS_COMMANDS_PER_RUN,
  SERVICE_PRICES,
  type ServicePrices,
  WATCHDOG_REDIS_COMMANDS,
} from './service-prices.js';

/** A billing month, as Upstash's own examples count it ("every hour" = 24 × 30 messages). */
export const DAYS_PER_MONTH = 30;
/** Four years from a leap year: every weekday, month length and Feb 29 in their real proportions. */
const CYCLE_START = Date.UTC(2028, 0, 1);
const CYCLE_DAYS = 1461;

export interface CronVolume {
  /** Average firings a day over the 4-year cycle. */
  perDay: number;
  /** Firings on its busiest day (QStash's Free limit is per day). */
  busiestDay: number;
}

const volumes = new Map<string, CronVolume>();

/** How often a cron fires: on average a day, and on its busiest day. */
export function cronVolume(cron: string): CronVolume {
  const known = volumes.get(cron);
  if (known) return known;
  let total = 0;
  let busiestDay = 0;
  for (let i = 0; i < CYCLE_DAYS; i++) {
    const ticks = ticksOnDay(cron, CYCLE_START + i * DAY);
    total += ticks;
    busiestDay = Math.max(busiestDay, ticks);
  }
  const volume = { perDay: total / CYCLE_DAYS, busiestDay };
  volumes.set(cron, volume);
  return volume;
}

/** Redis commands one passing run of the test costs (the measured figures). */
export function redisCommandsPerRun(test: TestDefinition): number {
  return test.agent === 'checks' ? REDIS_COMMANDS_PER_RUN.passing : REDIS_COMMANDS_PER_RUN.goal;
}

export interface TestCost {
  testId: string;
  name: string;
  schedule: string;
  runsPerMonth: number;
  redisPerRun: number;
  redisPerMonth: number;
}

export interface CostEstimate {
  tests: TestCost[];
  /** Tests without a schedule (PR checks only): no QStash messages, no scheduled Redis commands. */
  unscheduled: number;
  runsPerMonth: number;
  qstash: {
    /** Active schedules: one per scheduled test, plus the watchdog's. */
    schedules: number;
    watchdogPerDay: number;
    messagesPerDay: number;
    busiestDay: number;
    messagesPerMonth: number;
  };
  /** Scheduled runs plus the watchdog's reads. */
  redisCommandsPerMonth: number;
  /** The watchdog's share: it reads every stored test of the file every 5 minutes. */
  watchdogRedisPerMonth: number;
  /** Pay as You Go, USD a month. */
  usd: { redis: number; qstash: number };
  /** Each Free-plan limit the file would run past, as a sentence. */
  warnings: string[];
}

/** The estimate for a file's resolved tests, every run assumed to pass. */
export function estimateCost(
  tests: readonly TestDefinition[],
  prices: ServicePrices = SERVICE_PRICES,
): CostEstimate {
  const scheduled = tests.filter((t): t is TestDefinition & { schedule: string } => t.schedule !== undefined);
  const rows = scheduled.map((t): TestCost => {
    const runsPerMonth = cronVolume(t.schedule).perDay * DAYS_PER_MONTH;
    const redisPerRun = redisCommandsPerRun(t);
    return {
      testId: t.id,
      name: t.name,
      schedule: t.schedule,
      runsPerMonth,
      redisPerRun,
      redisPerMonth: runsPerMonth * redisPerRun,
    };
  });
  const watchdog = scheduled.length > 0 ? cronVolume(WATCHDOG_CRON) : { perDay: 0, busiestDay: 0 };
  const runsPerDay = scheduled.reduce((sum, t) => sum + cronVolume(t.schedule).perDay, 0);
  const busiestDay =
    scheduled.reduce((sum, t) => sum + cronVolume(t.schedule).busiestDay, 0) + watchdog.busiestDay;
  const messagesPerDay = runsPerDay + watchdog.perDay;
  const schedules = scheduled.length + (scheduled.length > 0 ? 1 : 0);
  const watchdogRedisPerMonth =
    watchdog.perDay *
    DAYS_PER_MONTH *
    (WATCHDOG_REDIS_COMMANDS.perCall + WATCHDOG_REDIS_COMMANDS.perTest * tests.length);
  const redisCommandsPerMonth = rows.reduce((sum, r) => sum + r.redisPerMonth, 0) + watchdogRedisPerMonth;
  const messagesPerMonth = messagesPerDay * DAYS_PER_MONTH;
  const q = prices.qstash;
  const extraSchedules = Math.max(0, schedules - q.paygIncludedSchedules);
  const estimate: CostEstimate = {
    tests: rows,
    unscheduled: tests.length - scheduled.length,
    runsPerMonth: runsPerDay * DAYS_PER_MONTH,
    qstash: { schedules, watchdogPerDay: watchdog.perDay, messagesPerDay, busiestDay, messagesPerMonth },
    redisCommandsPerMonth,
    watchdogRedisPerMonth,
    usd: {
      redis: (redisCommandsPerMonth / 100_000) * prices.redis.paygUsdPer100kCommands,
      qstash:
        (messagesPerMonth / 100_000) * q.paygUsdPer100kMessages + extraSchedules * q.paygUsdPerExtraSchedule,
    },
    warnings: [],
  };
  estimate.warnings = freePlanWarnings(estimate, prices);
  return estimate;
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

function freePlanWarnings(e: CostEstimate, prices: ServicePrices): string[] {
  const warnings: string[] = [];
  const freeCommands = prices.redis.freeCommandsPerMonth;
  if (e.redisCommandsPerMonth > freeCommands) {
    const days = Math.floor((freeCommands / e.redisCommandsPerMonth) * DAYS_PER_MONTH);
    const when = days < 1 ? 'within the first day' : `after about ${days} day${days === 1 ? '' : 's'}`;
    warnings.push(
      `Upstash Redis Free includes ${n(freeCommands)} commands a month; this file needs about ${n(e.redisCommandsPerMonth)}, so the plan runs out ${when}: use Pay as You Go, a plain Redis (REDIS_URL), or fewer or less frequent tests`,
    );
  }
  const q = prices.qstash;
  if (e.qstash.busiestDay > q.freeMessagesPerDay) {
    warnings.push(
      `QStash Free allows ${n(q.freeMessagesPerDay)} messages a day; this file sends up to ${n(e.qstash.busiestDay)} (watchdog included), and QStash refuses the rest with 429: use Pay as You Go or less frequent schedules`,
    );
  }
  if (e.qstash.schedules > q.freeMaxSchedules) {
    warnings.push(
      `QStash Free allows ${q.freeMaxSchedules} active schedules; this file needs ${e.qstash.schedules} (one per scheduled test plus the watchdog), and QStash refuses the rest with 412: use Pay as You Go`,
    );
  }
  return warnings;
}
