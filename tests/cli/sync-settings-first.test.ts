/**
 * `housecat sync` checks every setting it needs before it writes anything: the real bin against the
 * real redis-server. It used to write the status page settings to Redis and then stop at the missing
 * QStash token.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from '../support/cli.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const FILE = `version: 1
status_page:
  public: true
  title: Shop status
tests:
  - name: Home
    url: https://shop.example.com/
    expect: { status: 200 }
    schedule: "*/15 * * * *"
`;

let dir: string;
let prefix: string;
const redis = createClient({ url: testRedisUrl() });

beforeAll(async () => {
  await redis.connect();
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'housecat-sync-settings-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/housecat.yml'), FILE);
  prefix = uniquePrefix('sync-settings');
});

describe('housecat sync with settings missing', () => {
  it('lists every missing setting at once and exits 2', async () => {
    const r = await runCli(['sync'], { cwd: dir, env: { GITHUB_REPOSITORY: 'acme/shop' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('nothing was written');
    for (const name of ['REDIS_URL', 'UPSTASH_REDIS_REST_URL', 'QSTASH_TOKEN', '--callback-url']) {
      expect(r.stderr).toContain(name);
    }
  });

  it('writes nothing to Redis when only the QStash token is missing', async () => {
    const r = await runCli(['sync', '--callback-url', 'https://cat.example.com'], {
      cwd: dir,
      env: { REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: prefix, GITHUB_REPOSITORY: 'acme/shop' },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('QSTASH_TOKEN');
    expect(r.stderr).not.toContain('REDIS_URL');
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
