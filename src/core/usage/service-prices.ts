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
 * Redis commands one scheduled run costs, as Upstash bills them (an EVAL is one command), measured
 * by `bench/commands-per-run.ts` over 20 deliveries to the app on TCP Redis and on the Upstash REST
 * bridge (2026-12-07): the claim script, the record script and the run page's record. Before the
 * per-run budget work (issue 25) a passing run cost 57.
 */
export const REDIS_COMMANDS_PER_RUN = {
  /** A passing checks test (measured: 3.0). */
  passing: 3,
  /** A failing run that keeps an incident open (measured: 4.0; the run that opens it: 9). */
  failingWithIncident: 4,
  /**
   * A goal run (measured for a replayed goal: 5.0). A goal run that calls the model also streams
   * its events live, about one command every 2 s of the run, which is not counted here.
   */
  goal: 5,
} as const;

/**
 * Redis commands of one watchdog call (every 5 minutes, whatever the number of tests): 7 + 3 per
 * stored test measured with `INFO commandstats` around `runWatchdog` on a real redis-server
 * (1 test: 10, 10 tests: 37, 100 tests: 307; 2026-12-07), plus, counted from the code, the
 * route's one-time-token claim and the outbox drainer's two reads of an empty outbox.
 */
export const WATCHDOG_REDIS_COMMANDS = { perCall: 10, perTest: 3 } as const;
