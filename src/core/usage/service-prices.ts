/**
 * The one table of Upstash prices and plan limits `housecat cost` uses (README "What it costs").
 * Read on {@link SERVICE_PRICES_READ} from the pages in `sources`. When Upstash changes its prices,
 * edit the numbers and the date here, and the cost table in the README; nothing else holds them.
 */
export interface ServicePrices {
  redis: {
    /** Free plan: commands included a month; past them, requests are refused. */
    freeCommandsPerMonth: number;
    /** Pay as You Go: USD per 100,000 commands (every command is billed, none included). */
    paygUsdPer100kCommands: number;
  };
  qstash: {
    /** Free plan: messages a day (one delivery attempt to one endpoint is one message). */
    freeMessagesPerDay: number;
    /** Free plan: active schedules. */
    freeMaxSchedules: number;
    /** Pay as You Go: USD per 100,000 messages. */
    paygUsdPer100kMessages: number;
    /** Pay as You Go: active schedules included; each one beyond costs {@link paygUsdPerExtraSchedule} a month. */
    paygIncludedSchedules: number;
    paygUsdPerExtraSchedule: number;
  };
  sources: readonly string[];
}

/** The day the prices below were read (ISO date). */
export const SERVICE_PRICES_READ = '2026-12-07';

export const SERVICE_PRICES: ServicePrices = {
  redis: { freeCommandsPerMonth: 500_000, paygUsdPer100kCommands: 0.2 },
  qstash: {
    freeMessagesPerDay: 1_000,
    freeMaxSchedules: 10,
    paygUsdPer100kMessages: 1,
    paygIncludedSchedules: 1_000,
    paygUsdPerExtraSchedule: 0.01,
  },
  sources: ['https://upstash.com/pricing/redis', 'https://upstash.com/pricing/qstash'],
};

/**
 * Redis commands one scheduled run costs today, measured with `INFO commandstats` around 20
 * deliveries to `housecat serve` (issue 25). Kept here, in one place, so the figures can be
 * lowered when the per-run budget work lands.
 */
export const REDIS_COMMANDS_PER_RUN = {
  /** A passing checks test (measured: 57; a load test gave 57.6 over 1,209 deliveries). */
  passing: 57,
  /** A failing run that keeps an incident open (measured: 64). */
  failingWithIncident: 64,
  /**
   * A goal run (measured for a replayed goal: about 70). A goal run that calls the model was not
   * measured; it writes at least the events of a replayed one, so the same figure is used.
   */
  goal: 70,
} as const;

/**
 * Redis commands of one watchdog call (every 5 minutes, whatever the number of tests): 7 + 3 per
 * stored test measured with `INFO commandstats` around `runWatchdog` on a real redis-server
 * (1 test: 10, 10 tests: 37, 100 tests: 307; 2026-12-07), plus, counted from the code, the
 * route's one-time-token claim and the outbox drainer's two reads of an empty outbox.
 */
export const WATCHDOG_REDIS_COMMANDS = { perCall: 10, perTest: 3 } as const;
