/**
 * Who may open `housecat up`'s pages. The local operator (loopback, or --no-auth) gets the
 * dashboard without signing in and the monitored repository's status page whatever its public
 * setting; with GitHub sign-in (a non-loopback address) the dashboard sends a visitor to sign in and
 * a private repository's status page does not exist, as in the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import { createLocalIssueTracker } from '../../src/adapters/store/local-issue-tracker.js';
import { type LocalApp, startLocalApp } from '../../src/bot/up/local-app.js';
import type { LocalDashboardAccess } from '../../src/bot/up/local-dashboard.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { scriptedAgent } from './harness.js';

const TEST = makeTest('home', { schedule: '*/5 * * * *' });

describe("housecat up's pages", () => {
  let store: RedisStore;
  const apps: LocalApp[] = [];
  const start = async (access: LocalDashboardAccess) => {
    const issues = createLocalIssueTracker(store, { urlOf: (r, n) => `/local/${r}/issues/${n}` });
    const app = await startLocalApp(
      {
        store,
        agent: scriptedAgent(),
        tracker: issues,
        localIssues: issues,
        repo: 'acme/shop',
        access,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
        maxParallelRuns: 1,
        timers: false,
      },
      0,
      '127.0.0.1',
    );
    apps.push(app);
    // A private repository: no status_page block in its file.
    await app.apply({ tests: [TEST], file: 'housecat.yml' });
    return app;
  };

  beforeAll(() => {
    store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('up-access') }) as RedisStore;
  });
  afterAll(async () => {
    for (const app of apps) await app.close(0);
    await store.close();
  });

  it('serves the local operator without sign-in, the private status page included', async () => {
    const app = await start({ kind: 'local' });
    const home = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(home.headers.get('location')).toBe('/status/acme/shop');
    expect((await fetch(`${app.url}/status/acme/shop`)).status).toBe(200);
    const repo = await fetch(`${app.url}/r/acme/shop`, { redirect: 'manual' });
    expect(repo.status).toBe(200);
    expect(await repo.text()).toContain('Home');
    // Another repository's page is not the operator's to open.
    expect((await fetch(`${app.url}/status/other/repo`)).status).toBe(404);
    expect((await fetch(`${app.url}/r/other/repo`, { redirect: 'manual' })).status).toBe(404);
  });

  it('with GitHub sign-in, sends visitors to sign in and keeps a private status page hidden', async () => {
    const app = await start({ kind: 'github', clientId: 'Iv1.test', clientSecret: 'secret' });
    const repo = await fetch(`${app.url}/r/acme/shop`, { redirect: 'manual' });
    expect(repo.status).toBe(303);
    expect(repo.headers.get('location')).toMatch(/^\/auth\/login\?return_to=/);
    expect((await fetch(`${app.url}/status/acme/shop`)).status).toBe(404);
  });
});
