/**
 * `housecat sync` with H and `spread`: the real bin against the QStash stand-in (which, like
 * QStash, refuses a cron it cannot parse, H included) and the real redis-server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore } from '../../src/adapters/store/index.js';
import { resolveHashedCron, scheduledSecond } from '../../src/core/scheduling/hashed-cron.js';
import { runCli, useBuiltCli } from '../support/cli.js';
import { type QStashServer, startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const file = (spread: string) => `version: 1
defaults:
  schedule: "*/15 * * * *"
${spread}
tests:
  - name: Home
    url: https://shop.example.com/
    expect: { status: 200 }
  - name: Docs
    url: https://shop.example.com/docs
    expect: { status: 200 }
    schedule: "H H(8-17) * * MON-FRI"
`;

let qstash: QStashServer;
beforeAll(async () => {
  qstash = await startQStashServer();
});
afterAll(async () => {
  await qstash.close();
});

describe('housecat sync with H and spread', () => {
  it('sends QStash the resolved cron, moves */15 to the test’s own minute when spread is turned on, then rests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-cli-spread-'));
    mkdirSync(join(dir, '.github'));
    const prefix = uniquePrefix('cli-spread');
    const env = {
      REDIS_URL: testRedisUrl(),
      HOUSECAT_REDIS_PREFIX: prefix,
      QSTASH_TOKEN: qstash.token,
      QSTASH_URL: qstash.url,
      GITHUB_REPOSITORY: 'acme/shop',
    };
    const sync = () => runCli(['sync', '--callback-url', 'https://cat.example.com'], { cwd: dir, env });
    const cronOf = (id: string) => qstash.schedules.get(`housecat-${id}`)?.cron;
    const docs = resolveHashedCron('H H(8-17) * * MON-FRI', 'acme--shop--docs');
    const home = resolveHashedCron('H/15 * * * *', 'acme--shop--home');

    writeFileSync(join(dir, '.github/housecat.yml'), file(''));
    const first = await sync();
    expect(first.code, first.stderr).toBe(0);
    expect(cronOf('acme--shop--home')).toBe('*/15 * * * *');
    expect(cronOf('acme--shop--docs')).toBe(docs);
    expect(docs).toMatch(/^\d+ (8|9|1[0-7]) \* \* MON-FRI$/);
    // The hashed minute also gets its own second: QStash holds the message that long after the tick.
    const delayOf = (id: string) => qstash.schedules.get(`housecat-${id}`)?.delay;
    expect(delayOf('acme--shop--docs')).toBe(
      scheduledSecond('H H(8-17) * * MON-FRI', 'acme--shop--docs', false) || undefined,
    );
    expect(delayOf('acme--shop--home')).toBeUndefined();

    writeFileSync(join(dir, '.github/housecat.yml'), file('  spread: true'));
    const second = await sync();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('1 to update, 0 to remove, 1 unchanged');
    expect(second.stdout).toContain(`schedule changed (*/15 * * * * → ${home})`);
    expect(cronOf('acme--shop--home')).toBe(home);
    expect(delayOf('acme--shop--home')).toBe(
      scheduledSecond('*/15 * * * *', 'acme--shop--home', true) || undefined,
    );
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    const stored = await store.listRepoTests('acme/shop');
    expect(stored.map((t) => t.definition.schedule).sort()).toEqual([docs, home].sort());
    await store.close();

    const third = await sync();
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('Nothing to do: production already matches the file.');
  });
});
