/**
 * Run now under spam: one run per test at a time ("already running"), a few a minute per person
 * ("try again in N s"), refused clicks cost no GitHub call, and manual runs never take the last run
 * slot from another repository's scheduled run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signQStashRequest } from '../../support/qstash-server.js';
import { type DashboardHarness, PEOPLE, seedShop, shopTest, startDashboard } from './harness.js';
import { post, signIn } from './http-client.js';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

describe('Run now limits', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboard({ maxParallelRuns: 2, dashboard: { runNowPerPerson: { max: 3, ms: 60_000 } } });
    await seedShop(h);
    const ops = { ...shopTest('deploy', 'Deploy'), id: 'acme--ops--deploy', repo: 'acme/ops' };
    await h.store.applySync('acme/ops', {
      upsert: [{ definition: ops, contentHash: 'h', updatedAt: Date.now() }],
      remove: [],
    });
    // Runs last long enough for every request below to arrive while they are going.
    h.agent.steps = 3;
    h.agent.stepMs = 1500;
  });
  afterAll(async () => h?.close());

  it('starts one run per test under spam, says why the others did not run, and leaves a slot to schedules', async () => {
    const { cookie, csrf } = await signIn(h, PEOPLE.writer);
    const permissionCalls = () => h.gh.requests.filter((r) => r.path.endsWith('/permission')).length;
    const before = permissionCalls();
    const spam = await Promise.all(
      Array.from({ length: 30 }, () => post(`${h.url}/r/acme/shop/checkout/run`, cookie, { csrf })),
    );
    expect(spam.filter((a) => a.status === 303)).toHaveLength(1);
    const refused = spam.filter((a) => a.status === 429);
    expect(refused).toHaveLength(29);
    expect(refused[0]?.text).toContain('already running');
    expect(permissionCalls() - before).toBe(1);
    await until(() => h.agent.calls.length === 1);

    // A second test of the same repository: manual runs may not take the last slot.
    const second = await post(`${h.url}/r/acme/shop/search/run`, cookie, { csrf });
    expect(second.status).toBe(503);

    // Another repository's scheduled run still finds its slot.
    const path = '/api/callback/acme--ops--deploy';
    const body = JSON.stringify({ testId: 'acme--ops--deploy' });
    const scheduled = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-message-id': 'msg_ops_1',
        'upstash-signature': signQStashRequest({ signingKey: 'sig_cur', url: `${h.url}${path}`, body }),
      },
      body,
    });
    expect(scheduled.status).toBe(200);
    expect(h.agent.calls.map((c) => c.test.id).sort()).toEqual(['acme--ops--deploy', 'acme--shop--checkout']);
  }, 60_000);

  it('tells a person past their runs a minute when to try again', async () => {
    const { cookie, csrf } = await signIn(h, PEOPLE.writer);
    // The window (3 a minute here) holds the two clicks above that passed the per-test check; a
    // third counts whether or not a slot is free, and the fourth is refused with the wait.
    const third = await post(`${h.url}/r/acme/ops/deploy/run`, cookie, { csrf });
    expect([303, 503]).toContain(third.status);
    const fourth = await post(`${h.url}/r/acme/shop/search/run`, cookie, { csrf });
    expect(fourth.status).toBe(429);
    expect(fourth.text).toMatch(/try again in \d+ s/);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 60_000);
});
