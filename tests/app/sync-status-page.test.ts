/**
 * `status_page:` from housecat.yml through parsing and syncTests into `repo:{owner/name}:status`,
 * on the real redis-server, over the Upstash REST bridge (so round trips are counted).
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore } from '../../src/adapters/store/index.js';
import { statusStoreOf } from '../../src/adapters/store/status-store.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { parseDefinitions } from '../../src/core/config/parse.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const FILE = (statusPage: string) => `version: 1
${statusPage}
tests:
  - name: Home
    url: https://shop.example.com/
    expect: { status: 200 }
`;

let bridge: UpstashBridge;
const raw = createClient({ url: testRedisUrl(), RESP: 2 });
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
  await raw.connect();
});
afterAll(async () => {
  await raw.close();
  await bridge.close();
});

function parse(source: string) {
  const outcome = parseDefinitions(source, { file: 'housecat.yml', repo: 'Acme/Shop' });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  return outcome;
}

describe('status_page in housecat.yml', () => {
  it('parses the block with its defaults, on the fast and the careful path alike', () => {
    const text = FILE('status_page:\n  public: true\n  title: " Acme Shop status "');
    const fast = parse(text);
    const careful = parseDefinitions(text, { file: 'housecat.yml', repo: 'Acme/Shop', careful: true });
    expect(fast.statusPage).toEqual({ public: true, showGoals: false, title: 'Acme Shop status' });
    expect(careful.ok && careful.statusPage).toEqual(fast.statusPage);
    expect(parse(FILE('')).statusPage).toBeUndefined();
  });

  it('reports a misspelt key and a non-boolean value with their lines', () => {
    const outcome = parseDefinitions(FILE('status_page:\n  public: yes please\n  show_goal: true'), {
      file: 'housecat.yml',
      repo: 'acme/shop',
    });
    expect(outcome.ok).toBe(false);
    const lines = outcome.ok ? [] : outcome.diagnostics.map((d) => `${d.line}: ${d.path}: ${d.message}`);
    expect(lines).toEqual([
      '3: status_page.public: public must be true or false (found "yes please")',
      '4: status_page.show_goal: unknown key "show_goal" — did you mean "show_goals"?',
    ]);
  });

  it('stores the settings in the same two reads as the tests, and writes nothing when they match', async () => {
    const prefix = uniquePrefix('status-sync');
    const store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix });
    const deps = { store, scheduler: null, clock: { now: () => 1 }, statusPages: statusStoreOf(store) };
    const withPage = parse(FILE('status_page: { public: true, show_goals: true, title: Shop }'));
    const key = `${prefix}repo:acme/shop:status`;

    const first = await syncTests(deps, {
      repo: 'acme/shop',
      tests: withPage.tests,
      statusPage: withPage.statusPage!,
    });
    expect(first).toMatchObject({ applied: true, statusPageChanged: true });
    expect(await raw.hGetAll(key)).toEqual({ public: '1', show_goals: '1', title: 'Shop' });

    bridge.reset();
    const again = await syncTests(deps, {
      repo: 'acme/shop',
      tests: withPage.tests,
      statusPage: withPage.statusPage!,
    });
    expect(again).toMatchObject({ applied: false, statusPageChanged: false });
    expect(bridge.count(), 'an unchanged re-sync reads in 2 requests and writes nothing').toBe(2);

    // Removing the block makes the page private again, even when no test changed.
    const without = parse(FILE(''));
    const removed = await syncTests(deps, { repo: 'acme/shop', tests: without.tests });
    expect(removed).toMatchObject({ applied: true, statusPageChanged: true });
    expect(await raw.exists(key)).toBe(0);
    await store.close();
  });

  it('writes nothing in a dry run but says the settings would change', async () => {
    const prefix = uniquePrefix('status-dry');
    const store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix });
    const said: string[] = [];
    const logger = { info: (m: string) => said.push(m), warn() {}, error() {} };
    const page = parse(FILE('status_page: { public: true }'));
    const outcome = await syncTests(
      { store, scheduler: null, clock: { now: () => 1 }, statusPages: statusStoreOf(store), logger },
      { repo: 'acme/shop', tests: page.tests, statusPage: page.statusPage!, dryRun: true },
    );
    expect(outcome).toMatchObject({ applied: false, statusPageChanged: true });
    expect(said).toContain('Would change the status page: not set (private) → public.');
    expect(await raw.keys(`${prefix}*`)).toEqual([]);
    await store.close();
  });
});
