/**
 * `housecat cost` as people read it: the monthly figures, what they cost on each Upstash plan, and
 * a table per test. Free-plan warnings are returned apart so the CLI can print them on stderr.
 */
import type { CostEstimate } from './cost-model.js';
import {
  REDIS_COMMANDS_PER_RUN,
  SERVICE_PRICES,
  SERVICE_PRICES_READ,
  type ServicePrices,
  WATCHDOG_REDIS_COMMANDS,
} from './service-prices.js';

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;

/** Rows as aligned text: the first `textColumns` columns left-aligned, the figures right-aligned. */
function table(rows: string[][], textColumns = 1): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  const pad = (cell: string, i: number) =>
    i < textColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0);
  return rows.map((r) => `  ${r.map(pad).join('  ')}`.trimEnd());
}

/** The report for `file`, every run assumed to pass. */
export function renderCostReport(
  e: CostEstimate,
  file: string,
  prices: ServicePrices = SERVICE_PRICES,
): string {
  const q = prices.qstash;
  const r = prices.redis;
  const scheduled = e.tests.length;
  const lines = [
    `Cost of ${file}: ${scheduled} scheduled test${scheduled === 1 ? '' : 's'}${e.unscheduled > 0 ? ` (${e.unscheduled} more run only as PR checks: no cost here)` : ''}, every run passing.`,
    '',
    ...table([
      ['', 'a day', 'a month'],
      ['scheduled runs', n(e.runsPerMonth / 30), n(e.runsPerMonth)],
      [
        `QStash messages (runs + watchdog ${n(e.qstash.watchdogPerDay)}/day)`,
        n(e.qstash.messagesPerDay),
        n(e.qstash.messagesPerMonth),
      ],
      [
        `Redis commands (runs + watchdog ${n(e.watchdogRedisPerMonth)}/month)`,
        n(e.redisCommandsPerMonth / 30),
        n(e.redisCommandsPerMonth),
      ],
    ]),
    '',
    `Upstash Redis  Free (${n(r.freeCommandsPerMonth)} commands/month): ${e.redisCommandsPerMonth > r.freeCommandsPerMonth ? 'EXCEEDED' : `fits (${Math.round((100 * e.redisCommandsPerMonth) / r.freeCommandsPerMonth)}% used)`}` +
      `   Pay as You Go (${usd(r.paygUsdPer100kCommands)} per 100K): ${usd(e.usd.redis)}/month`,
    `QStash         Free (${n(q.freeMessagesPerDay)} messages/day, ${q.freeMaxSchedules} schedules): ${e.qstash.busiestDay > q.freeMessagesPerDay || e.qstash.schedules > q.freeMaxSchedules ? 'EXCEEDED' : 'fits'} (busiest day ${n(e.qstash.busiestDay)}, ${e.qstash.schedules} schedules)` +
      `   Pay as You Go (${usd(q.paygUsdPer100kMessages)} per 100K): ${usd(e.usd.qstash)}/month`,
  ];
  if (e.tests.length > 0) {
    lines.push(
      '',
      ...table(
        [
          ['TEST', 'SCHEDULE', 'RUNS/MONTH', 'REDIS/RUN', 'REDIS/MONTH'],
          ...e.tests.map((t) => [
            t.testId,
            t.schedule,
            n(t.runsPerMonth),
            String(t.redisPerRun),
            n(t.redisPerMonth),
          ]),
        ],
        2,
      ),
    );
  }
  lines.push(
    '',
    `Redis commands a run, as measured: ${REDIS_COMMANDS_PER_RUN.passing} for a passing checks test, about ${REDIS_COMMANDS_PER_RUN.goal} for a goal, ${REDIS_COMMANDS_PER_RUN.failingWithIncident} for a failing run with an incident open.`,
    `The watchdog costs ${WATCHDOG_REDIS_COMMANDS.perCall} Redis commands a call plus ${WATCHDOG_REDIS_COMMANDS.perTest} per stored test, every 5 minutes.`,
    "Not counted: QStash retries of failed deliveries, the dashboard's and status pages' Redis reads, and other repositories sharing the same Redis and QStash.",
    `Prices read ${SERVICE_PRICES_READ} from ${prices.sources.join(' and ')}.`,
  );
  return lines.join('\n');
}
