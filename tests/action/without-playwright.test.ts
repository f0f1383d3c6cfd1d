/**
 * Sync mode never loads playwright-core, so a broken or missing browser library cannot break
 * syncing; run mode without it fails saying what is missing and how to fix it. Both run the
 * committed bundle through action.yml's step, from a copy whose node_modules/playwright-core is
 * removed.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/action.js';
import { committedActionPath } from '../support/action-bundle.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium } from '../support/system.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';
import { webhookPayload } from '../support/webhook-payloads.js';

const REPO = 'acme/shop';

let actionPath: string;
let partialPath: string;
let workspace: string;
let bridge: UpstashBridge;
let app: StaticServer;

beforeAll(async () => {
  actionPath = mkdtempSync(join(tmpdir(), 'housecat-no-playwright-'));
  cpSync(join(committedActionPath(), 'dist'), join(actionPath, 'dist'), { recursive: true });
  rmSync(join(actionPath, 'dist/node_modules/playwright-core'), { recursive: true });
  // The shape of the original defect: the package is there, part of its lib/ is not.
  partialPath = mkdtempSync(join(tmpdir(), 'housecat-partial-playwright-'));
  cpSync(join(committedActionPath(), 'dist'), join(partialPath, 'dist'), { recursive: true });
  rmSync(join(partialPath, 'dist/node_modules/playwright-core/lib/bootstrap.js'));
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
  app = await startStaticServer({ '/': '<!doctype html><title>Shop</title><h1>Welcome</h1>' });
  workspace = mkdtempSync(join(tmpdir(), 'housecat-ws-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(
    join(workspace, '.github/housecat.yml'),
    `version: 1
tests:
  - name: Home
    url: ${app.url}/
    expect: { status: 200, text: ["Welcome"] }
`,
  );
}, 120_000);

afterAll(async () => {
  await bridge?.close();
  await app?.close();
});

const action = (inputs: Record<string, string>, path = actionPath) =>
  runAction({
    inputs,
    cwd: workspace,
    actionPath: path,
    repository: REPO,
    eventName: 'push',
    payload: webhookPayload('push'),
    env: {
      HOUSECAT_REDIS_PREFIX: uniquePrefix('no-playwright'),
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
      HOUSECAT_CHROMIUM: requireChromium(),
    },
  });

describe('the Action without playwright-core', () => {
  it('plans a sync dry run without loading playwright-core', async () => {
    const run = await action({
      mode: 'sync',
      'dry-run': 'true',
      'upstash-redis-url': bridge.url,
      'upstash-redis-token': bridge.token,
    });
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ created: '1', applied: 'false' });
    expect(run.stdout).toContain('Dry run: nothing was written.');
  });

  it('fails run mode naming playwright-core and the fix', async () => {
    const run = await action({ mode: 'run', comment: 'off', 'github-token': '' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('playwright-core could not be loaded');
    expect(run.stdout).toContain('commit all of dist/');
  });

  it('fails run mode with one clear message when part of playwright-core is missing', async () => {
    const run = await action({ mode: 'run', comment: 'off', 'github-token': '' }, partialPath);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::playwright-core could not be loaded, so no browser test can run: Cannot find module './lib/bootstrap'",
    );
    // No second, raw report of the same failure as an uncaught crash.
    expect(run.stderr).toBe('');
  });
});
