/**
 * The dashboard's settings: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET together turn it on, one
 * without the other is refused at start-up naming the missing one, neither runs the app without
 * a dashboard (webhooks and callbacks only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DASHBOARD, readBotConfig } from '../../../src/bot/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { type DashboardHarness, startDashboard } from './harness.js';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----\\n';
const complete = {
  APP_ID: '123',
  PRIVATE_KEY: KEY,
  WEBHOOK_SECRET: 's',
  HOUSECAT_PUBLIC_URL: 'https://housecat.example.com/',
  QSTASH_CURRENT_SIGNING_KEY: 'c',
  QSTASH_NEXT_SIGNING_KEY: 'n',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('dashboard settings', () => {
  it('turns the dashboard on when both OAuth settings are given', () => {
    const config = readBotConfig({ ...complete, GITHUB_CLIENT_ID: 'Iv1.abc', GITHUB_CLIENT_SECRET: 'sec' });
    expect(config.oauth).toEqual({ clientId: 'Iv1.abc', clientSecret: 'sec' });
  });

  it('refuses to start with only one of them, naming the missing one', () => {
    expect(() => readBotConfig({ ...complete, GITHUB_CLIENT_ID: 'Iv1.abc' })).toThrow(ConfigError);
    expect(() => readBotConfig({ ...complete, GITHUB_CLIENT_ID: 'Iv1.abc' })).toThrow(
      /GITHUB_CLIENT_SECRET is not set, but GITHUB_CLIENT_ID is/,
    );
    expect(() => readBotConfig({ ...complete, GITHUB_CLIENT_SECRET: 'sec' })).toThrow(
      /GITHUB_CLIENT_ID is not set/,
    );
  });

  it('runs without a dashboard when neither is set, and says how to turn it on', () => {
    expect(readBotConfig(complete).oauth).toBeUndefined();
    expect(NO_DASHBOARD).toMatch(/GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET/);
  });
});

describe('an app without dashboard', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboard({ oauth: false });
  });
  afterAll(async () => h?.close());

  it('answers 404 on the dashboard routes and still serves its health check', async () => {
    for (const path of ['/', '/auth/login', '/r/acme/shop']) {
      expect((await fetch(`${h.url}${path}`, { redirect: 'manual' })).status, path).toBe(404);
    }
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
