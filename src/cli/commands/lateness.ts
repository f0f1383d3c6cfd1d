/**
 * `housecat lateness`: how late QStash delivers each scheduled test, p50/p95/max over recent runs,
 * from the `tick` and `latenessMs` every scheduled run records.
 */
import { readEnv } from '../../adapters/env.js';
import { createStore } from '../../adapters/store/index.js';
import { ConfigError } from '../../core/errors.js';
import { isRepoName } from '../../core/ids.js';
import { latenessStats } from '../../core/scheduling/lateness.js';
import { DAY_MS } from '../../core/time.js';
import { intFlag, parseFlags } from '../args.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT, UsageError } from '../io.js';

const help = `Usage: housecat lateness --repo OWNER/NAME [--days N] [--json]

Shows, per scheduled test of the repository, how late its scheduled runs arrived:
p50, p95 and the worst lateness (from the cron tick each delivery belongs to; a
retried delivery counts from its original tick), over the last N days.

Options:
      --repo OWNER/NAME   repository (default: GITHUB_REPOSITORY)
      --days N            how far back to look (default 7)
      --json              print JSON instead of a table
  -h, --help              show this help

Environment:
  UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (or REDIS_URL)   where results are stored

Exit status:
${exitCodeHelp()}`;

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`;
}

export const latenessCommand: Command = {
  name: 'lateness',
  summary: 'show p50/p95 lateness of scheduled runs per test',
  help,
  async run(args, io) {
    const { values } = parseFlags('lateness', args, {
      repo: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const repo = values.repo ?? io.env.GITHUB_REPOSITORY;
    if (!repo || !isRepoName(repo)) {
      throw new UsageError('housecat lateness: pass --repo OWNER/NAME (or set GITHUB_REPOSITORY)');
    }
    const days = intFlag('lateness', 'days', values.days, 1, 400) ?? 7;
    const store = createStore(readEnv(io.env));
    if (!store) {
      throw new ConfigError(
        'no Redis configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or REDIS_URL.',
      );
    }
    try {
      const now = Date.now();
      const tests = (await store.listRepoTests(repo)).filter((t) => t.definition.schedule);
      const rows = await Promise.all(
        tests.map(async (t) => {
          const results = await store.getResults(t.definition.id, { from: now - days * DAY_MS, to: now });
          return { testId: t.definition.id, schedule: t.definition.schedule, ...latenessStats(results) };
        }),
      );
      if (values.json) {
        io.stdout(JSON.stringify({ repo, days, tests: rows }, null, 2));
        return EXIT.ok;
      }
      if (rows.length === 0) {
        io.stdout(`No scheduled tests in ${repo}.`);
        return EXIT.ok;
      }
      const width = Math.max(4, ...rows.map((r) => r.testId.length));
      io.stdout(`${'test'.padEnd(width)}  runs     p50       p95       max`);
      for (const r of rows) {
        io.stdout(
          `${r.testId.padEnd(width)}  ${String(r.runs).padStart(4)}  ${seconds(r.p50Ms).padStart(8)}  ${seconds(r.p95Ms).padStart(8)}  ${seconds(r.maxMs).padStart(8)}`,
        );
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
