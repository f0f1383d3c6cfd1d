/**
 * The per-run Redis budget of issue 25, as command counts (never timings), so a change that adds a
 * round trip fails here: 20 deliveries of a passing checks test cost at most 160 commands in all,
 * 20 failing deliveries that open and keep one incident at most 240, counted by INFO commandstats
 * around the deliveries with the app otherwise idle (tests/support/command-count.ts: "sent" counts
 * an EVAL once, MONITOR tells a script's own calls apart, and commandstats must agree with it).
 * The Upstash REST store is held to the same budget through the bridge, which sees every command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BudgetApp, budgetTest, startBudgetApp } from '../support/run-budget.js';

const RUNS = 20;

describe.each(['tcp', 'upstash'] as const)('Redis commands of scheduled runs (%s)', (transport) => {
  let app: BudgetApp;
  beforeAll(async () => {
    app = await startBudgetApp(transport);
  }, 60_000);
  afterAll(async () => app?.close());

  const deliverAll = async (testId: string) => {
    for (let i = 0; i < RUNS; i++) await app.deliver(testId);
  };

  it('20 deliveries of a passing checks test cost at most 160 commands', async () => {
    const test = budgetTest('passing');
    await app.addTest(test);
    const count = await app.measure(() => deliverAll(test.id));
    expect(count.server, 'commandstats and MONITOR disagree').toBe(count.sent + count.inScripts);
    expect(count.sent, JSON.stringify(count.byCommand)).toBeLessThanOrEqual(160);
    if (transport === 'upstash') expect(count.bridge).toBeLessThanOrEqual(160);
    const results = await app.store.getResults(test.id);
    expect(results).toHaveLength(RUNS);
  });

  it('20 failing deliveries that open and keep one incident cost at most 240 commands', async () => {
    const test = budgetTest('failing');
    await app.addTest(test);
    app.verdicts.set(test.id, 'failed');
    const issuesBefore = app.gh.state.issues.length;
    const count = await app.measure(() => deliverAll(test.id));
    expect(count.server, 'commandstats and MONITOR disagree').toBe(count.sent + count.inScripts);
    expect(count.sent, JSON.stringify(count.byCommand)).toBeLessThanOrEqual(240);
    if (transport === 'upstash') expect(count.bridge).toBeLessThanOrEqual(240);
    // What the commands bought: one incident, open, with its one issue, and every run recorded.
    const incident = await app.store.getIncident(test.id);
    expect(incident).toMatchObject({ status: 'open', failedRuns: RUNS });
    expect(incident?.issueNumber).toBeDefined();
    expect(app.gh.state.issues.length - issuesBefore).toBe(1);
    expect(await app.store.getResults(test.id)).toHaveLength(RUNS);
  });

  it('a replayed goal run stays within 8 commands', async () => {
    const test = budgetTest('goal', { goal: true });
    await app.addTest(test);
    const count = await app.measure(() => deliverAll(test.id));
    expect(count.sent, JSON.stringify(count.byCommand)).toBeLessThanOrEqual(8 * RUNS);
    expect(await app.store.getResults(test.id)).toHaveLength(RUNS);
  });
});
