/** createStore picks the adapter from the environment and refuses half a configuration. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/adapters/store/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';
import { definition, stored } from './fixtures.js';

let bridge: UpstashBridge;
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => {
  await bridge.close();
});

describe('createStore', () => {
  it('returns null when no Redis is configured', () => {
    expect(createStore({})).toBeNull();
  });

  it('uses Upstash REST when URL and token are set, even if REDIS_URL is set too', async () => {
    const prefix = uniquePrefix('env');
    const store = createStore({
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      REDIS_URL: 'redis://127.0.0.1:1',
      HOUSECAT_REDIS_PREFIX: prefix,
    });
    bridge.reset();
    const def = definition('acme/env', 'one');
    await store!.applySync('acme/env', { upsert: [stored(def)], remove: [] });
    expect(bridge.count()).toBe(1);
    expect(bridge.requests.at(-1)?.commands[0]).toEqual(['DEL', `${prefix}test:${def.id}`]);
    // The TCP adapter on the same database and prefix reads what the REST adapter wrote.
    const tcp = createStore({ REDIS_URL: testRedisUrl(), HOUSECAT_REDIS_PREFIX: prefix });
    expect((await tcp!.getTest(def.id))?.definition).toEqual(def);
    await tcp!.close();
  });

  it('refuses a URL without a token (and a token without a URL), naming the missing variable', () => {
    expect(() => createStore({ UPSTASH_REDIS_REST_URL: bridge.url })).toThrow(ConfigError);
    expect(() => createStore({ UPSTASH_REDIS_REST_URL: bridge.url })).toThrow(
      /UPSTASH_REDIS_REST_TOKEN is not set/,
    );
    expect(() => createStore({ UPSTASH_REDIS_REST_TOKEN: 't' })).toThrow(/UPSTASH_REDIS_REST_URL is not set/);
  });

  it('refuses a retention that is not a positive number of days', () => {
    expect(() => createStore({ REDIS_URL: testRedisUrl(), HOUSECAT_RETENTION_DAYS: 'ninety' })).toThrow(
      /HOUSECAT_RETENTION_DAYS is "ninety"/,
    );
    expect(() => createStore({ REDIS_URL: testRedisUrl(), HOUSECAT_RETENTION_DAYS: '0' })).toThrow(
      ConfigError,
    );
  });

  it('refuses an Upstash URL that is not a URL, without echoing it', () => {
    expect(() =>
      createStore({ UPSTASH_REDIS_REST_URL: 'not a url?_token=abc', UPSTASH_REDIS_REST_TOKEN: 'secret-t' }),
    ).toThrow(/^UPSTASH_REDIS_REST_URL is not a URL/);
  });
});
