/**
 * `housecat sync` as a user runs it: the real bin (compiled lib/) against the QStash stand-in and
 * the real redis-server, over REDIS_URL (plain Redis) and over the Upstash REST bridge.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTcpStore } from '../../src/adapters/store/index.js';
import { runCli, useBuiltCli } from '../support/cli.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const FILE = `version: 1
tests:
  - name: Home
    url: https://shop.example.com/
    expect: { status: 200 }
    schedule: "*/15 * * * *"
  - name: Docs
    url: https://shop.example.com/docs
    expect: { text: ["Docs"] }
`;

let qstash: QStashServer;
let bridge: UpstashBridge;
let dir: string;
let prefix: string;

beforeAll(async () => {
  qstash = await startQStashServer();
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => {
  await qstash.close();
  await bridge.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'housecat-cli-sync-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/housecat.yml'), FILE);
  prefix = uniquePrefix('cli-sync');
  qstash.schedules.clear();
  qstash.resetRequests();
});

const env = (extra: Record<string, string> = {}) => ({
  REDIS_URL: testRedisUrl(),
  HOUSECAT_REDIS_PREFIX: prefix,
  QSTASH_TOKEN: qstash.token,
  QSTASH_URL: qstash.url,
  GITHUB_REPOSITORY: 'acme/shop',
  ...extra,
});

describe('housecat sync', () => {
  it('prints its usage with --help', async () => {
    const r = await runCli(['sync', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Usage: housecat sync [--config PATH] [--repo OWNER/NAME] [--callback-url URL] [--dry-run]',
    );
  });

  it('syncs, then finds nothing to do on the second run', async () => {
    const first = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env(),
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Plan for acme/shop: 2 to create, 0 to update, 0 to remove, 0 unchanged.');
    expect(first.stdout).toContain('Synced.');
    expect([...qstash.schedules.keys()].sort()).toEqual(['housecat-acme--shop--home', 'housecat-watchdog']);
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    expect((await store.listRepoTests('acme/shop')).map((t) => t.definition.id).sort()).toEqual([
      'acme--shop--docs',
      'acme--shop--home',
    ]);
    await store.close();
    qstash.resetRequests();
    const second = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env(),
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to do: production already matches the file.');
    // One read: QStash's list, to restore schedules deleted behind HouseCat's back. No writes.
    expect(qstash.counts()).toEqual({ total: 1, listSchedules: 1 });
  });

  it('goes through Upstash REST and takes the callback URL from HOUSECAT_PUBLIC_URL', async () => {
    const r = await runCli(['sync'], {
      cwd: dir,
      env: env({
        REDIS_URL: '',
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        HOUSECAT_PUBLIC_URL: 'https://cat.example.com/',
      }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(qstash.schedules.get('housecat-acme--shop--home')?.destination).toBe(
      'https://cat.example.com/api/callback/acme--shop--home',
    );
  });

  it('writes nothing with --dry-run', async () => {
    const r = await runCli(['sync', '--dry-run', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 to create');
    expect(r.stdout).toContain('Dry run: nothing was written.');
    expect(qstash.counts().total).toBe(0);
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    expect(await store.listRepoTests('acme/shop')).toEqual([]);
    await store.close();
  });

  it('takes the repository from the git remote when GITHUB_REPOSITORY is unset', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:Octo-Org/web-app.git'], { cwd: dir });
    const r = await runCli(['sync', '--dry-run', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env({ GITHUB_REPOSITORY: '' }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('octo-org--web-app--home');
  });

  it('exits 1 and writes nothing when the file is invalid', async () => {
    writeFileSync(join(dir, '.github/housecat.yml'), FILE.replace('*/15 * * * *', '*/15 * * *'));
    const r = await runCli(['sync', '--callback-url', 'https://cat.example.com'], { cwd: dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\.github\/housecat\.yml:6:\d+: tests\[0\]\.schedule/);
    expect(r.stderr).toContain('nothing was synced');
    expect(qstash.counts().total).toBe(0);
  });

  it('exits 2 naming the flag when a scheduled test has no callback URL', async () => {
    const r = await runCli(['sync'], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--callback-url');
    expect(qstash.counts().total).toBe(0);
  });

  it('exits 2 naming QSTASH_TOKEN when schedules must change and it is unset', async () => {
    const r = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env({ QSTASH_TOKEN: '' }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('QSTASH_TOKEN');
  });

  it('sets the watchdog cadence and the flow-control total from the environment, and says so', async () => {
    const r = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env({ HOUSECAT_WATCHDOG_MINUTES: '15', HOUSECAT_MAX_PARALLEL_RUNS: '3', HOUSECAT_REPLICAS: '2' }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'QStash flow control: 6 callbacks at once (3 runs per process (HOUSECAT_MAX_PARALLEL_RUNS) × 2 replicas (HOUSECAT_REPLICAS)).',
    );
    expect(qstash.schedules.get('housecat-watchdog')?.cron).toBe('*/15 * * * *');
    expect(qstash.schedules.get('housecat-acme--shop--home')?.parallelism).toBe(6);
  });

  it('exits 2 before any request when the watchdog cadence is not one it can keep', async () => {
    const r = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: env({ HOUSECAT_WATCHDOG_MINUTES: '7' }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HOUSECAT_WATCHDOG_MINUTES is "7": use one of 1 (1440 messages a day)');
    expect(qstash.counts().total).toBe(0);
  });
});
