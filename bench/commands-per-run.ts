/**
 * Redis commands per scheduled run (issue 25), counted, not timed: 20 deliveries of each scenario
 * to the app `housecat serve` builds, on a redis-server of its own, through the TCP store (counted
 * by INFO commandstats and MONITOR: tests/support/command-count.ts) and through the Upstash REST
 * bridge (which sees every command a REST client sends). Scenarios (tests/support/run-budget.ts):
 *
 * 1. a passing checks test;
 * 2. a failing checks test that opens an incident on its 2nd run and keeps it (the GitHub issue
 *    through the stand-in): the opening run alone, and the 20 in all;
 * 3. a replayed goal (the replay script read and marked verified through the real replay store).
 *
 * "sent" counts what clients send (an EVAL once, its calls not); "server" is commandstats, which
 * also counts what scripts call. Budget: a passing run (replay included) <= 8 sent, <= 12 when an
 * incident changes. More rows (status page, badge, live view) go in `rows` below.
 *
 * Run: npm run bench commands-per-run
 */
import { describeCounts } from '../tests/support/command-count.js';
import { type BudgetApp, budgetTest, startBudgetApp } from '../tests/support/run-budget.js';

const RUNS = 20;

interface Row {
  name: string;
  runs: number;
  sent: number;
  server: number;
  bridge?: number;
  detail: string;
}

async function deliverMany(app: BudgetApp, testId: string, runs: number) {
  for (let i = 0; i < runs; i++) await app.deliver(testId);
}

async function scenarios(app: BudgetApp): Promise<Row[]> {
  const rows: Row[] = [];
  const row = async (name: string, runs: number, work: () => Promise<unknown>) => {
    const c = await app.measure(work);
    rows.push({
      name,
      runs,
      sent: c.sent,
      server: c.server,
      ...(c.bridge !== undefined ? { bridge: c.bridge } : {}),
      detail: describeCounts(c.byCommand),
    });
  };
  const passing = budgetTest('passing');
  await app.addTest(passing);
  await app.deliver(passing.id); // the first run of a test (and of its hour) writes a little more
  await row('passing checks run', RUNS, () => deliverMany(app, passing.id, RUNS));

  const failing = budgetTest('failing');
  await app.addTest(failing);
  app.verdicts.set(failing.id, 'failed');
  await row('failing run, 1st (no incident yet)', 1, () => app.deliver(failing.id));
  await row('failing run that opens the incident', 1, () => app.deliver(failing.id));
  await row('failing run, incident kept open', RUNS - 2, () => deliverMany(app, failing.id, RUNS - 2));

  const goal = budgetTest('goal', { goal: true });
  await app.addTest(goal);
  await app.deliver(goal.id);
  await row('replayed goal run', RUNS, () => deliverMany(app, goal.id, RUNS));
  return rows;
}

console.log(`${RUNS} deliveries per row after one warm-up delivery; figures are commands per run`);
const transports = (process.env.BUDGET_TRANSPORTS ?? 'tcp,upstash').split(',') as ('tcp' | 'upstash')[];
for (const transport of transports) {
  const app = await startBudgetApp(transport);
  try {
    const rows = await scenarios(app);
    console.log(
      `\n${transport === 'tcp' ? 'TCP Redis (INFO commandstats + MONITOR)' : 'Upstash REST bridge'}`,
    );
    for (const r of rows) {
      const per = (n: number) => (n / r.runs).toFixed(1);
      const figures =
        transport === 'tcp'
          ? `sent ${per(r.sent)}  server (scripts' calls too) ${per(r.server)}`
          : `REST ${per(r.bridge ?? 0)}  server ${per(r.server)}`;
      console.log(`  ${r.name.padEnd(40)} ${figures}   [${r.detail}] over ${r.runs}`);
    }
  } finally {
    await app.close();
  }
}
