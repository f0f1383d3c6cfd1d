/**
 * The app without an AI key or a test secret, over real HTTP with the real agent and Chromium: a
 * missing key must never blind the monitor (the `expect` checks still run and a broken site still
 * opens its incident), a healthy site is `error` naming the fix (never a pass nobody checked, never
 * an incident), said once in the log; a missing secret is a configuration error, not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/adapters/agent/index.js';
import { BrowserPool } from '../../src/adapters/browser/index.js';
import { environmentFacts } from '../../src/adapters/compose.js';
import { type HouseCatEnv, readSecrets } from '../../src/adapters/env.js';
import type { TestDefinition } from '../../src/core/types.js';
import { type FixtureApps, startFixtureApps } from '../support/fixture-apps.js';
import { requireChromium } from '../support/system.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

let apps: FixtureApps;
let pool: BrowserPool;
let h: Harness;
const logged: string[] = [];
const APP_HINT = "ANTHROPIC_API_KEY in the app's environment (your host's settings) and restart it";

beforeAll(async () => {
  apps = await startFixtureApps();
  // No ANTHROPIC_API_KEY: the app as deployed by someone who forgot it.
  const env: HouseCatEnv = { HOUSECAT_CHROMIUM: requireChromium(), HOUSECAT_ALLOW_PRIVATE_NETWORK: '1' };
  pool = new BrowserPool({ env });
  const processEnv = { LOGIN_USER: 'demo' };
  h = await startHarness({
    maxRunMs: 30_000,
    incidentWaitMs: 10_000,
    agent: createAgent({ env, pool }),
    environment: {
      ...environmentFacts(env),
      keyHint: { anthropic: APP_HINT },
      secretHint: "{name} in the app's environment",
    },
    secretsFor: (names) => readSecrets(names, processEnv).values,
    logger: { info() {}, warn() {}, error: (m) => logged.push(m) },
  });
});

afterAll(async () => {
  await h?.close();
  await pool?.close();
  await apps?.close();
});

function goalTest(slug: string, variant: string, overrides: Partial<TestDefinition> = {}): TestDefinition {
  return makeTest(slug, {
    name: slug,
    url: `${apps.url}/${variant}/login`,
    agent: 'claude',
    goal: 'Sign in as demo and check the dashboard says "Welcome, Demo".',
    expect: { status: 200, text: ['Sign in'] },
    failureThreshold: 2,
    retries: 1,
    ...overrides,
  });
}

const deliver = (test: TestDefinition) => deliverScheduled(h.url, h.signing.current, test.id);

describe('the app without ANTHROPIC_API_KEY', () => {
  it('still runs the checks of a goal test: a broken site is failed and opens the incident at failure_threshold', async () => {
    const broken = goalTest('broken-no-key', '500');
    await h.addTest(broken);
    const first = await deliver(broken);
    expect(first.status).toBe(200);
    expect(first.json, JSON.stringify(first.json)).toMatchObject({ status: 'failed' });
    expect(h.gh.issuesOf('acme/shop').filter((i) => i.title.includes('broken-no-key'))).toHaveLength(0);
    const second = await deliver(broken);
    expect(second.json, JSON.stringify(second.json)).toMatchObject({ status: 'failed' });
    const [latest] = await h.store.getResults(broken.id, { limit: 1 });
    expect(latest?.reason).toMatch(/500/);
    const incident = await h.store.getIncident(broken.id);
    expect(incident?.issueNumber).toBeDefined();
    expect(h.gh.issuesOf('acme/shop').filter((i) => i.title.includes('broken-no-key'))).toHaveLength(1);
  });

  it('records a healthy site as error naming the key and where to set it, logged once, with no incident', async () => {
    const healthy = goalTest('healthy-no-key', 'ok');
    await h.addTest(healthy);
    for (let i = 0; i < 3; i++) {
      const res = await deliver(healthy);
      expect(res.json, JSON.stringify(res.json)).toMatchObject({ status: 'error' });
    }
    const results = await h.store.getResults(healthy.id, { limit: 5 });
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.reason).toBe(
        `configuration: ANTHROPIC_API_KEY is not set, so the goal was not checked (the \`expect\` checks passed). Set ${APP_HINT}, or give this test \`agent: checks\`.`,
      );
      // The checks ran: each run's events show them.
      const events = (await h.store.readEvents(healthy.id)).filter((e) => e.runId === r.runId);
      expect(events.some((e) => e.message.startsWith('check:status'))).toBe(true);
    }
    expect(logged.filter((m) => m.startsWith(`${healthy.id}:`))).toHaveLength(1);
    expect(await h.store.getIncident(healthy.id)).toBeNull();
    expect(h.gh.issuesOf('acme/shop').filter((i) => i.title.includes('healthy-no-key'))).toHaveLength(0);
  });
});

describe('the app without a secret a test names', () => {
  it('records a configuration error naming the secret, without running or retrying the test', async () => {
    // The key is there; LOGIN_PASSWORD is not. The scripted agent counts the runs that reach it.
    const h2 = await startHarness({
      maxRunMs: 30_000,
      environment: { anthropicKey: true, tinyfishKey: false, allowPrivateNetwork: true },
      secretsFor: (names) => readSecrets(names, { LOGIN_USER: 'demo' }).values,
      logger: { info() {}, warn() {}, error: (m) => logged.push(m) },
    });
    try {
      const login = goalTest('secret-missing', 'ok', {
        secrets: ['LOGIN_PASSWORD', 'LOGIN_USER'],
        retries: 2,
      });
      await h2.addTest(login);
      const res = await deliverScheduled(h2.url, h2.signing.current, login.id);
      // Answered 200: QStash must not retry a configuration error either.
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: 'error' });
      expect(h2.agent.calls).toHaveLength(0);
      const [latest] = await h2.store.getResults(login.id, { limit: 1 });
      expect(latest?.reason).toBe(
        "HouseCat's app cannot run this test here: the secret LOGIN_PASSWORD is not set, and 1 test(s) name it under `secrets:`: secret-missing. Set the environment variable LOGIN_PASSWORD, or remove it from their `secrets:`.",
      );
    } finally {
      await h2.close();
    }
  });
});
