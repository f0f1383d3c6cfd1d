/**
 * The watchdog end to end: `sync` keeps one `housecat-watchdog` schedule; the QStash stand-in calls
 * `POST /api/watchdog` every 5 minutes on its fast-forwarded clock (the app reads the same clock).
 * A test's schedule deleted behind HouseCat's back gets exactly one "missed" issue, naming what is
 * wrong; re-sync restores the schedule, and the next run closes the issue with a summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQStashScheduler } from '../../src/adapters/qstash/scheduler.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { type QStashServer, signQStashRequest, startQStashServer } from '../support/qstash-server.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, startHarness } from './harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Yesterday 10:00 UTC: recent enough that retention keeps the results. */
const START = Math.floor(Date.now() / DAY) * DAY - DAY + 10 * 60 * MIN;
const REPO = 'acme/shop';

describe('the watchdog', () => {
  let qstash: QStashServer;
  let h: Harness;
  const test = makeTest('watched', { schedule: '*/15 * * * *' });
  const sync = () =>
    syncTests(
      {
        store: h.store,
        scheduler: createQStashScheduler({ token: qstash.token, baseUrl: qstash.url }),
        clock: { now: () => qstash.now() },
      },
      { repo: REPO, tests: [test], callbackUrl: h.publicUrl },
    );

  beforeAll(async () => {
    qstash = await startQStashServer({ start: START });
    h = await startHarness({
      clock: { now: () => qstash.now() },
      signing: { current: qstash.currentSigningKey, next: qstash.nextSigningKey },
      localPublicUrl: true,
      schedules: createQStashScheduler({ token: qstash.token, baseUrl: qstash.url }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await qstash?.close();
  });

  it('is one schedule, created by sync and never duplicated by a re-sync', async () => {
    const first = await sync();
    expect(first.watchdog).toBe('upsert');
    expect(qstash.schedules.get('housecat-watchdog')).toMatchObject({
      cron: '*/5 * * * *',
      destination: `${h.publicUrl}/api/watchdog`,
    });
    qstash.resetRequests();
    const second = await sync();
    expect(second.watchdog).toBe('none');
    expect(qstash.counts()).toEqual({ total: 1, listSchedules: 1 });
    expect([...qstash.schedules.keys()].sort()).toEqual([
      'housecat-acme--shop--watched',
      'housecat-watchdog',
    ]);
  });

  it('refuses an unsigned call', async () => {
    const res = await fetch(`${h.url}/api/watchdog`, { method: 'POST', body: '' });
    expect(res.status).toBe(401);
  });

  it('opens exactly one missed issue for a test whose schedule was deleted, and the next run closes it', async () => {
    // A run at :15, then the schedule disappears behind HouseCat's back.
    const ran = (await qstash.advance(15 * MIN)).filter((d) => d.url.endsWith(test.id));
    expect(ran.map((d) => d.attempts.map((a) => a.status))).toEqual([[200]]);
    qstash.schedules.delete(`housecat-${test.id}`);

    // An hour of watchdog calls: quiet until two ticks (:30, :45) plus grace have passed, then one issue.
    const calls = (await qstash.advance(60 * MIN)).filter((d) => d.url.endsWith('/api/watchdog'));
    expect(calls).toHaveLength(12);
    expect(calls.every((c) => c.delivered)).toBe(true);
    const issues = h.gh.issuesOf(REPO);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.body).toMatch(
      /has stopped running on its schedule: no runs since .* UTC; expected every 15 min/,
    );
    expect(issues[0]?.body).toContain(`its QStash schedule housecat-${test.id} does not exist`);
    const incident = await h.store.getIncident(test.id);
    expect(incident).toMatchObject({ kind: 'missed', status: 'open', issueNumber: issues[0]?.number });

    // Re-sync restores the schedule; its next run closes the issue with the results summary.
    const resync = await sync();
    expect(resync.plan.items[0]?.reasons).toEqual(['QStash schedule missing (deleted outside HouseCat)']);
    expect(qstash.schedules.get(`housecat-${test.id}`)?.destination).toBe(
      `${h.publicUrl}/api/callback/${test.id}`,
    );
    await qstash.advance(15 * MIN);
    expect(h.gh.issuesOf(REPO)[0]?.state).toBe('closed');
    expect(
      h.gh
        .commentsOf(REPO, issues[0]?.number ?? 0)
        .map((c) => c.body)
        .join('\n'),
    ).toMatch(/recovered|Recovered/);
    expect((await h.store.getIncident(test.id))?.status).toBe('resolved');
    expect(h.gh.issuesOf(REPO)).toHaveLength(1);
  });

  it('answers a signed call with the report: schedule problems named, no new issue', async () => {
    qstash.schedules.delete(`housecat-${test.id}`);
    const url = `${h.publicUrl}/api/watchdog`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'upstash-signature': signQStashRequest({ signingKey: qstash.currentSigningKey, url, body: '' }),
      },
      body: '',
    });
    const report = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ ok: true, tests: 1, scheduled: 1, missed: [] });
    expect(report.scheduleProblems).toEqual([
      { testId: test.id, problem: expect.stringContaining('does not exist: run `housecat sync`') },
    ]);
    expect(h.gh.issuesOf(REPO)).toHaveLength(1);
  });
});
