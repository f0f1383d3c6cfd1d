/**
 * Issue 29, through the app: a failing goal test (the real claude agent in Chromium against a
 * fixture app that echoes the typed password, the Anthropic stand-in, a signed QStash delivery)
 * gives a run page with its steps and screenshots, a trace.zip a zip reader opens, and an incident
 * issue on the GitHub stand-in that links to the run page. The page answers 404 to an outsider.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../src/adapters/agent/index.js';
import { useAgentHarness } from '../../support/agent-harness.js';
import { loginPolicy } from '../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../support/fixture-apps.js';
import { signQStashRequest } from '../../support/qstash-server.js';
import { makeLoginGoalTest } from '../../support/test-definitions.js';
import { jsonLines, unzipEntries } from '../../support/zip-entries.js';
import { type DashboardHarness, PEOPLE, startDashboard } from './harness.js';
import { get, signIn } from './http-client.js';

const agentParts = useAgentHarness();

describe('the run page of a failing goal test', () => {
  let h: DashboardHarness;
  const test = () =>
    makeLoginGoalTest({
      url: `${agentParts.apps.url}/leaky/login`,
      schedule: '*/5 * * * *',
      trace: 'on-failure',
      failureThreshold: 1,
    });

  beforeAll(async () => {
    h = await startDashboard({
      agent: createAgent({ env: agentParts.env, pool: agentParts.pool }),
      app: {
        secretsFor: (names): Record<string, string> =>
          names.includes('DEMO_PASSWORD') ? { DEMO_PASSWORD } : {},
      },
    });
    await h.store.applySync('acme/shop', {
      upsert: [{ definition: test(), contentHash: 'h', updatedAt: Date.now() }],
      remove: [],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows steps and screenshots, offers the trace, and the incident issue links to it', async () => {
    agentParts.llm.respond(
      loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Nobody' }),
    );
    const path = `/api/callback/${test().id}`;
    const body = JSON.stringify({ testId: test().id });
    const delivered = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-message-id': `msg_${randomUUID()}`,
        'upstash-retried': '0',
        'upstash-signature': signQStashRequest({ signingKey: 'sig_cur', url: `${h.url}${path}`, body }),
      },
      body,
    });
    expect(delivered.status, await delivered.clone().text()).toBe(200);

    // The incident issue names the run page of the failed run.
    const issue = h.gh.state.issues.find((i) => i.repo === 'acme/shop');
    const link = /\((http:\/\/127\.0\.0\.1:\d+\/r\/acme\/shop\/login\/runs\/[0-9a-f-]{36})\)/.exec(
      issue?.body ?? '',
    )?.[1];
    expect(link, issue?.body ?? 'no issue').toBeDefined();
    const runPath = new URL(link as string).pathname;

    // Signed out: sent to sign in, and back to this page afterwards.
    const anonymous = await get(`${h.url}${runPath}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/auth/login?return_to=${encodeURIComponent(runPath)}`);

    const { cookie } = await signIn(h, PEOPLE.reader);
    const page = await get(`${h.url}${runPath}`, cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Steps</h2>');
    for (const action of ['navigate', 'type', 'type_secret', 'click', 'verdict'])
      expect(page.text).toContain(`<td>${action}</td>`);
    expect(page.text).toContain('Expected &quot;Welcome, Nobody&quot;');
    expect(page.text).toContain('agent (the model drove the browser)');
    expect(page.text).toContain('Cost:');
    expect(page.text.includes(DEMO_PASSWORD)).toBe(false);

    const shots = [...page.text.matchAll(/<img class="shot" src="([^"]+)"/g)].map((m) => m[1] as string);
    expect(shots).toHaveLength(3);
    const jpeg = await fetch(`${h.url}${shots[2]}`, { headers: { cookie } });
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(
      Buffer.from(await jpeg.arrayBuffer())
        .subarray(0, 3)
        .toString('hex'),
    ).toBe('ffd8ff');

    const trace = await fetch(`${h.url}${runPath}/trace.zip`, { headers: { cookie } });
    expect(trace.headers.get('content-type')).toBe('application/zip');
    const entries = await unzipEntries(Buffer.from(await trace.arrayBuffer()));
    for (const name of ['trace.trace', 'trace.network']) {
      expect(entries.has(name), name).toBe(true);
      expect(jsonLines(entries.get(name) as Buffer).length).toBeGreaterThan(0);
    }

    // The test page's run list opens the same page.
    const testPage = await get(`${h.url}/r/acme/shop/login`, cookie);
    expect(testPage.text).toContain(`href="${runPath}"`);

    // Someone who cannot read the repository gets 404 for the page and its files alike.
    const outsider = await signIn(h, PEOPLE.outsider);
    for (const p of [runPath, `${runPath}/trace.zip`, shots[0] as string])
      expect((await get(`${h.url}${p}`, outsider.cookie)).status, p).toBe(404);
    // A run id that is not this test's answers 404 too.
    expect((await get(`${h.url}/r/acme/shop/login/runs/${randomUUID()}`, cookie)).status).toBe(404);
  });
});
