/**
 * Picks the store from the environment: Upstash REST when UPSTASH_REDIS_REST_URL and
 * UPSTASH_REDIS_REST_TOKEN are set (production default), plain Redis when REDIS_URL is set,
 * nothing otherwise.
 */
import { ConfigError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import type { HouseCatEnv } from '../env.js';
import { DEFAULT_RETENTION_DAYS, type RedisStore, type StoreOptions } from './redis-store.js';
import { createTcpStore } from './tcp-store.js';
import { createUpstashStore } from './upstash-store.js';

export { createFileReplayStore, replayDirFor } from './file-replay-store.js';
export { type KeySpace, keySpace } from './keys.js';
export { DEFAULT_EVENTS_CAP, DEFAULT_RETENTION_DAYS, RedisStore, type StoreOptions } from './redis-store.js';
export { createRedisReplayStore } from './replay-store.js';
export { createTcpStore } from './tcp-store.js';
export { createUpstashStore } from './upstash-store.js';

export interface CreateStoreOptions {
  clock?: Clock;
  /** Overrides HOUSECAT_REDIS_PREFIX. */
  prefix?: string;
  eventsCap?: number;
  timeoutMs?: number;
  /** Upstash only: re-sends after a network error. */
  retries?: number;
}

function retentionDays(env: HouseCatEnv): number {
  const raw = env.HOUSECAT_RETENTION_DAYS;
  if (raw === undefined) return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days <= 0) {
    throw new ConfigError(
      `HOUSECAT_RETENTION_DAYS is "${raw}": set it to a number of days greater than 0 (default ${DEFAULT_RETENTION_DAYS}).`,
    );
  }
  return days;
}

/**
 * The store configured by the environment, or `null` when no Redis is configured.
 * Throws ConfigError for half a configuration (a URL without a token) or a bad value.
 */
export function createStore(env: HouseCatEnv, options: CreateStoreOptions = {}): RedisStore | null {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if ((url === undefined) !== (token === undefined)) {
    const missing = url === undefined ? 'UPSTASH_REDIS_REST_URL' : 'UPSTASH_REDIS_REST_TOKEN';
    throw new ConfigError(
      `${missing} is not set, but ${missing === 'UPSTASH_REDIS_REST_URL' ? 'UPSTASH_REDIS_REST_TOKEN' : 'UPSTASH_REDIS_REST_URL'} is: ` +
        'set both (REST URL and token from the Upstash console), or neither and REDIS_URL instead.',
    );
  }
  const base: StoreOptions = {
    prefix: options.prefix ?? env.HOUSECAT_REDIS_PREFIX ?? '',
    retentionDays: retentionDays(env),
  };
  if (options.clock) base.clock = options.clock;
  if (options.eventsCap !== undefined) base.eventsCap = options.eventsCap;
  if (options.timeoutMs !== undefined) base.timeoutMs = options.timeoutMs;
  if (url !== undefined && token !== undefined) {
    return createUpstashStore({
      ...base,
      url,
      token,
      ...(options.retries === undefined ? {} : { retries: options.retries }),
    });
  }
  if (env.REDIS_URL !== undefined) return createTcpStore({ ...base, url: env.REDIS_URL });
  return null;
}
