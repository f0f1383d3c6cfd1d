/**
 * The committed Action bundle (the files of dist/ that git tracks, started by action.yml's composite
 * step in bash) against the QStash stand-in and the Upstash REST bridge in front of the real
 * redis-server. tests/dist/freshness.test.ts checks that the committed bundle is the current build.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import examples from '@octokit/webhooks-examples';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTcpStore } from '../../src/adapters/store/index.js';
import type { Store } from '../../src/core/ports.js';
import { type ActionRun, runAction } from '../support/action.js';
import { committedActionPath } from '../support/action-bundle.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const REPO = 'acme/shop';
const CALLBACK = 'https://housecat.example.com';

function payload(event: string): unknown {
  const found = (examples as unknown as { name: string; examples: unknown[] }[]).find(
    (e) => e.name === event,
  );
  if (!found?.examples[0]) throw new Error(`no ${event} example in @octokit/webhooks-examples`);
  return found.examples[0];
}
const PUSH = payload('push');
const PULL_REQUEST = payload('pull_request');

const BASE = `version: 1
tests:
  - name: Home
    url: https://shop.example.com/
    expect: { status: 200 }
    schedule: "*/15 * * * *"
  - name: Login Flow
    url: https://shop.example.com/login
    goal: Log in with the demo account and check the dashboard says Welcome
    schedule: "0 * * * *"
  - name: Pricing
    url: https://shop.example.com/pricing
    expect: { text: ["Pricing"] }
`;

let qstash: QStashServer;
let bridge: UpstashBridge;
let store: Store;
let prefix: string;
let workspace: string;
let actionPath: string;

beforeAll(async () => {
  // What ships: a clone's dist/, not whatever else lies in the work tree's dist/.
  actionPath = committedActionPath();
  qstash = await startQStashServer();
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
}, 300_000);

afterAll(async () => {
  await qstash?.close();
  await bridge?.close();
});

beforeEach(async () => {
  prefix = uniquePrefix('sync');
  store = createTcpStore({ url: testRedisUrl(), prefix });
  workspace = mkdtempSync(join(tmpdir(), 'housecat-ws-'));
  mkdirSync(join(workspace, '.github'));
  qstash.schedules.clear();
  return () => store.close();
});

function writeConfig(text: string): void {
  writeFileSync(join(workspace, '.github/housecat.yml'), text);
}

const credentials = () => ({
  'callback-url': CALLBACK,
  'upstash-redis-url': bridge.url,
  'upstash-redis-token': bridge.token,
  'qstash-token': qstash.token,
  'qstash-url': qstash.url,
});

/** Runs the Action and returns the Redis and QStash requests it made. */
async function sync(
  inputs: Record<string, string> = {},
  options: {
    eventName?: string;
    payload?: unknown;
    onSpawn?: (kill: (s: NodeJS.Signals) => void) => void;
  } = {},
): Promise<ActionRun & { redisRequests: number; redisWrites: string[][]; qstash: Record<string, number> }> {
  bridge.reset();
  const redisStart = bridge.requests.length;
  qstash.resetRequests();
  const result = await runAction({
    inputs: { ...credentials(), ...inputs },
    cwd: workspace,
    actionPath,
    repository: REPO,
    eventName: options.eventName ?? 'push',
    payload: options.payload ?? PUSH,
    env: { HOUSECAT_REDIS_PREFIX: prefix },
    ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
  });
  const made = bridge.requests.slice(redisStart);
  const writes = made
    .flatMap((r) => r.commands)
    .filter((c) => !['SMEMBERS', 'HGETALL', 'MULTI', 'EXEC'].includes(String(c[0]).toUpperCase()));
  return { ...result, redisRequests: bridge.count(), redisWrites: writes, qstash: qstash.counts() };
}

const byId = async () =>
  Object.fromEntries((await store.listRepoTests(REPO)).map((t) => [t.definition.id, t]));

describe('Action sync mode (real bundle)', () => {
  it('creates tests in Redis and schedules in QStash, within the request budget', async () => {
    writeConfig(BASE);
    const run = await sync();
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      created: '3',
      updated: '0',
      removed: '0',
      unchanged: '0',
      applied: 'true',
    });
    const plan = JSON.parse(run.outputs.plan ?? '');
    expect(plan.items.map((i: { action: string; testId: string }) => `${i.action} ${i.testId}`)).toEqual([
      'create acme--shop--home',
      'create acme--shop--login-flow',
      'create acme--shop--pricing',
    ]);
    // Budget: first sync ≤ 3 Redis requests, one QStash request per schedule.
    expect(run.redisRequests).toBeLessThanOrEqual(3);
    // One list (to see schedules changed behind HouseCat's back), the two tests' schedules and the
    // app's one watchdog schedule.
    expect(run.qstash).toEqual({ total: 4, listSchedules: 1, createSchedule: 3 });

    const stored = await byId();
    expect(Object.keys(stored).sort()).toEqual([
      'acme--shop--home',
      'acme--shop--login-flow',
      'acme--shop--pricing',
    ]);
    expect(stored['acme--shop--home']?.scheduleId).toBe('housecat-acme--shop--home');
    expect(stored['acme--shop--pricing']?.scheduleId).toBeUndefined();
    expect(
      [...qstash.schedules.values()].map((s) => [s.scheduleId, s.destination, s.cron, s.retries, s.body]),
    ).toEqual([
      ['housecat-acme--shop--home', `${CALLBACK}/api/callback/acme--shop--home`, '*/15 * * * *', 3, ''],
      [
        'housecat-acme--shop--login-flow',
        `${CALLBACK}/api/callback/acme--shop--login-flow`,
        '0 * * * *',
        3,
        '',
      ],
      ['housecat-watchdog', `${CALLBACK}/api/watchdog`, '*/5 * * * *', 1, ''],
    ]);
    // Nothing secret travels to QStash: no forwarded headers, and no token in any body.
    for (const request of qstash.requests) {
      expect(Object.keys(request.headers).filter((h) => h.startsWith('upstash-forward-'))).toEqual([]);
      expect(request.body).not.toContain(bridge.token);
    }
    // Tokens are masked before anything is printed, and never printed in clear.
    expect(run.stdout).toContain(`::add-mask::${qstash.token}`);
    expect(run.stdout).toContain(`::add-mask::${bridge.token}`);
    expect(run.stdout.replaceAll(`::add-mask::${qstash.token}`, '')).not.toContain(qstash.token);
    expect(run.stdout.replaceAll(`::add-mask::${bridge.token}`, '')).not.toContain(bridge.token);
    expect(run.stdout).toContain('Plan for acme/shop: 3 to create, 0 to update, 0 to remove, 0 unchanged.');
    expect(run.summary).toContain('| Action | Test | Schedule | Why |');
    expect(run.summary).toContain('Applied.');
  });

  it('writes nothing at all when re-synced with the same file', async () => {
    writeConfig(BASE);
    await sync();
    const before = await byId();
    const run = await sync();
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      created: '0',
      updated: '0',
      removed: '0',
      unchanged: '3',
      applied: 'false',
    });
    // Budget: unchanged re-sync ≤ 2 Redis requests (reads only) and one QStash read, no write.
    expect(run.redisRequests).toBeLessThanOrEqual(2);
    expect(run.redisWrites).toEqual([]);
    expect(run.qstash).toEqual({ total: 1, listSchedules: 1 });
    expect(await byId()).toEqual(before);
    expect(run.summary).toContain('Nothing to do');
  });

  it('gives the watchdog the cadence of the input "watchdog-minutes", and refuses one it cannot keep', async () => {
    writeConfig(BASE);
    const quarter = await sync({ 'watchdog-minutes': '15' });
    expect(quarter.code, quarter.stdout).toBe(0);
    expect(qstash.schedules.get('housecat-watchdog')?.cron).toBe('*/15 * * * *');
    expect(quarter.stdout).toContain(
      'QStash flow control: 2 callbacks at once (default 2 runs per process × 1 replica).',
    );
    const bad = await sync({ 'watchdog-minutes': '7' });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('input "watchdog-minutes" is "7": use one of 1 (1440 messages a day)');
    expect(bad.qstash.total).toBe(0);
  });

  it('updates a changed schedule with one QStash call, and a changed goal with none', async () => {
    writeConfig(BASE);
    await sync();
    writeConfig(BASE.replace('schedule: "*/15 * * * *"', 'schedule: "*/5 * * * *"'));
    const cron = await sync();
    expect(cron.code, cron.stdout).toBe(0);
    expect(cron.outputs).toMatchObject({ created: '0', updated: '1', unchanged: '2', applied: 'true' });
    expect(JSON.parse(cron.outputs.plan ?? '').items[0]).toMatchObject({
      action: 'update',
      testId: 'acme--shop--home',
      scheduleChange: 'upsert',
      reasons: ['schedule changed (*/15 * * * * → */5 * * * *)'],
    });
    // Budget: one changed test ≤ 3 Redis requests and 1 QStash request.
    expect(cron.redisRequests).toBeLessThanOrEqual(3);
    expect(cron.qstash).toEqual({ total: 2, listSchedules: 1, createSchedule: 1 });
    expect(qstash.schedules.get('housecat-acme--shop--home')?.cron).toBe('*/5 * * * *');
    expect(qstash.schedules.size).toBe(3); // two tests and the watchdog

    writeConfig(
      BASE.replace('schedule: "*/15 * * * *"', 'schedule: "*/5 * * * *"').replace(
        'check the dashboard says Welcome',
        'check the dashboard says Hello',
      ),
    );
    const goal = await sync();
    expect(goal.code, goal.stdout).toBe(0);
    expect(goal.outputs).toMatchObject({ updated: '1', unchanged: '2' });
    expect(goal.stdout).toMatch(/~ update\s+acme--shop--login-flow\s+0 \* \* \* \*\s+goal changed/);
    expect(goal.redisRequests).toBeLessThanOrEqual(3);
    expect(goal.qstash).toEqual({ total: 1, listSchedules: 1 });
    expect((await byId())['acme--shop--login-flow']?.definition.goal).toContain('says Hello');
  });

  it('removes a deleted test and its schedule but keeps its history', async () => {
    writeConfig(BASE);
    await sync();
    await store.recordRun(
      {
        runId: 'run-1',
        testId: 'acme--shop--home',
        status: 'passed',
        reason: 'status 200',
        agent: 'checks',
        startedAt: Date.now() - 1000,
        durationMs: 400,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      },
      [],
    );
    writeConfig(BASE.replace(/ {2}- name: Home\n(?: {4}.*\n)+/, ''));
    const run = await sync();
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ removed: '1', unchanged: '2' });
    expect(run.qstash).toEqual({ total: 2, listSchedules: 1, deleteSchedule: 1 });
    expect(qstash.schedules.has('housecat-acme--shop--home')).toBe(false);
    expect(Object.keys(await byId())).not.toContain('acme--shop--home');
    expect(await store.getTest('acme--shop--home')).toBeNull();
    expect((await store.getResults('acme--shop--home')).map((r) => r.runId)).toEqual(['run-1']);
    expect(run.stdout).toContain('history is kept');
  });

  it('takes the schedule away from a test whose schedule line was removed, keeping the test', async () => {
    writeConfig(BASE);
    await sync();
    writeConfig(BASE.replace('    schedule: "0 * * * *"\n', ''));
    const run = await sync();
    expect(run.code, run.stdout).toBe(0);
    expect(run.qstash).toEqual({ total: 2, listSchedules: 1, deleteSchedule: 1 });
    const stored = (await byId())['acme--shop--login-flow'];
    expect(stored?.definition.schedule).toBeUndefined();
    expect(stored?.scheduleId).toBeUndefined();
  });

  it('makes zero writes on a dry run, while showing what it would do', async () => {
    writeConfig(BASE);
    await sync();
    const before = await byId();
    writeConfig(BASE.replace('*/15 * * * *', '*/30 * * * *'));
    const run = await sync({ 'dry-run': 'true' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ updated: '1', applied: 'false' });
    expect(run.redisWrites).toEqual([]);
    expect(run.qstash).toEqual({ total: 0 });
    expect(await byId()).toEqual(before);
    expect(qstash.schedules.get('housecat-acme--shop--home')?.cron).toBe('*/15 * * * *');
    expect(run.stdout).toContain('Dry run: nothing was written.');
  });

  it('only plans on a pull_request event, even with every token given', async () => {
    writeConfig(BASE);
    const run = await sync({}, { eventName: 'pull_request', payload: PULL_REQUEST });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ created: '3', applied: 'false' });
    expect(run.redisWrites).toEqual([]);
    expect(run.qstash).toEqual({ total: 0 });
    expect(await store.listRepoTests(REPO)).toEqual([]);
    expect(run.summary).toContain('Plan only: a pull_request event never changes production schedules.');
    expect(run.summary).toContain('+ create');
  });

  it('validates and skips the comparison on a pull request without secrets (a fork)', async () => {
    writeConfig(BASE);
    const run = await sync(
      { 'upstash-redis-url': '', 'upstash-redis-token': '', 'qstash-token': '' },
      { eventName: 'pull_request', payload: PULL_REQUEST },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      '::warning::HouseCat: no Upstash Redis credentials on this pull_request event',
    );
    expect(run.summary).toContain('3 test(s) in .github/housecat.yml are valid');
    expect(run.outputs).toMatchObject({ applied: 'false', created: '0' });
    expect(run.redisRequests).toBe(0);
    expect(run.qstash).toEqual({ total: 0 });
  });

  it('converges when a sync is killed halfway and run again: no orphan, no duplicate', async () => {
    const many = `version: 1\ndefaults:\n  schedule: "*/10 * * * *"\ntests:\n${Array.from(
      { length: 6 },
      (_, i) => `  - name: Page ${i}\n    url: https://shop.example.com/${i}\n    expect: { status: 200 }\n`,
    ).join('')}`;
    writeConfig(many);
    qstash.stallCreatesAfter(3);
    const killed = await sync(
      {},
      {
        onSpawn: (kill) => {
          const poll = setInterval(() => {
            // Three schedules made, the fourth request held: the process dies mid-sync.
            if ((qstash.counts().createSchedule ?? 0) >= 4) {
              clearInterval(poll);
              kill('SIGKILL');
            }
          }, 20);
        },
      },
    );
    qstash.resume();
    expect(killed.code).not.toBe(0);
    expect(qstash.schedules.size).toBeGreaterThanOrEqual(3);
    expect(qstash.schedules.size).toBeLessThan(6);
    expect(await store.listRepoTests(REPO)).toEqual([]); // Redis is written last: nothing half-done

    const rerun = await sync();
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(rerun.outputs).toMatchObject({ created: '6', applied: 'true' });
    expect([...qstash.schedules.keys()].sort()).toEqual(
      [...Array.from({ length: 6 }, (_, i) => `housecat-acme--shop--page-${i}`), 'housecat-watchdog'].sort(),
    );
    expect(await store.listRepoTests(REPO)).toHaveLength(6);
    const third = await sync();
    expect(third.outputs).toMatchObject({ unchanged: '6', applied: 'false' });
    expect(third.qstash).toEqual({ total: 1, listSchedules: 1 });
  });

  it('annotates a test URL on a loopback address with a warning and still syncs', async () => {
    writeConfig(BASE.replace('https://shop.example.com/pricing', 'http://127.0.0.1:3000/pricing'));
    const run = await sync({ 'dry-run': 'true' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      /::warning title=HouseCat definitions,file=\.github\/housecat\.yml,line=12,col=10::tests\[2\]\.url: "http:\/\/127\.0\.0\.1:3000\/pricing" points at a private or loopback address .*the app refuses these unless HOUSECAT_ALLOW_PRIVATE_NETWORK=1/,
    );
  });

  it('writes nothing when the file is invalid, and points at the line', async () => {
    writeConfig(BASE.replace('schedule: "0 * * * *"', 'schedule: "every hour"'));
    const run = await sync();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=HouseCat definitions,file=\.github\/housecat\.yml,line=10,col=\d+::tests\[1\]\.schedule/,
    );
    expect(run.stdout).toContain('nothing was synced');
    expect(run.redisRequests).toBe(0);
    expect(run.qstash).toEqual({ total: 0 });
  });

  it('fails naming the input and the repository secret when a token is missing', async () => {
    writeConfig(BASE);
    const noQStash = await sync({ 'qstash-token': '' });
    expect(noQStash.code).toBe(1);
    expect(noQStash.stdout).toContain(
      'input "qstash-token" is empty: add the repository secret QSTASH_TOKEN',
    );
    const noRedis = await sync({ 'upstash-redis-token': '' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stdout).toContain(
      'input "upstash-redis-token" is empty: add the repository secret UPSTASH_REDIS_REST_TOKEN',
    );
    expect(noQStash.redisRequests + noRedis.redisRequests).toBe(0);
    expect(qstash.requests).toEqual([]);
  });

  it('fails with the setting to check when the QStash token is wrong, leaving Redis untouched', async () => {
    writeConfig(BASE);
    const run = await sync({ 'qstash-token': 'not-the-token' });
    expect(run.code).toBe(1);
    // The first QStash call is the read of its schedules: a wrong token stops the sync before any write.
    expect(run.stdout).toMatch(/::error::QStash: list schedules failed: HTTP 401/);
    expect(run.stdout).toContain('check the input "qstash-token" (secret QSTASH_TOKEN)');
    expect(run.stdout).not.toMatch(/::error::.*not-the-token/);
    expect(run.redisWrites).toEqual([]);
  });

  it('refuses a scheduled test without a callback URL before touching anything', async () => {
    writeConfig(BASE);
    const run = await sync({ 'callback-url': '' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('set the Action input "callback-url"');
    expect(run.redisRequests + (run.qstash.total ?? 0)).toBe(0);
  });

  it('fails with the fix when the runner Node.js is too old, before loading the bundle', async () => {
    writeConfig(BASE);
    const bin = mkdtempSync(join(tmpdir(), 'old-node-'));
    // A stand-in for Node.js 18: answers --version, fails the version check like a real 18 would.
    writeFileSync(
      join(bin, 'node'),
      '#!/bin/sh\n[ "$1" = "--version" ] && echo v18.20.4 && exit 0\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const run = await runAction({
      inputs: credentials(),
      cwd: workspace,
      actionPath,
      repository: REPO,
      eventName: 'push',
      payload: PUSH,
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error title=HouseCat needs Node.js 20 or newer::this runner has Node.js v18.20.4',
    );
    expect(run.stdout).toContain('actions/setup-node@v4');
  });

  it('names the valid modes when mode is unknown', async () => {
    writeConfig(BASE);
    const run = await sync({ mode: 'deploy' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('input "mode" is "deploy": use one of sync, run');
  });
});
