/**
 * The composition root of a run and a sync: builds the adapters from the environment — one browser
 * pool, the agent over it, the optional store, the QStash scheduler — and the facts the environment
 * check reads. The CLI, the Action and `serve` all need this composition; it lives here, below the
 * entry points, so none of them imports another. The storage bundle is in compose-storage.ts.
 */
import type { Logger, Store } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import type { ReplayStore } from '../core/replay/index.js';
import type { EnvironmentFacts } from '../core/run/environment-check.js';
import { createAgent } from './agent/index.js';
import { findChromium } from './browser/find-chromium.js';
import { BrowserPool } from './browser/index.js';
import type { Storage } from './compose-storage.js';
import { allowPrivateNetwork, type HouseCatEnv } from './env.js';
import { createQStashScheduler } from './qstash/index.js';
import {
  createFileReplayStore,
  createRedisReplayStore,
  createStore,
  type RedisStore,
} from './store/index.js';

/** What the environment offers, for checkEnvironment (core/run/environment-check.ts). */
export function environmentFacts(env: HouseCatEnv, path: string = process.env.PATH ?? ''): EnvironmentFacts {
  let chromiumProblem: string | undefined;
  try {
    findChromium(env, path);
  } catch (error) {
    chromiumProblem = (error as Error).message;
  }
  return {
    anthropicKey: Boolean(env.ANTHROPIC_API_KEY),
    tinyfishKey: Boolean(env.TINYFISH_API_KEY),
    allowPrivateNetwork: allowPrivateNetwork(env),
    ...(chromiumProblem ? { chromiumProblem } : {}),
  };
}

/** The adapters of one run; `close()` closes what was opened. */
export interface RunAdapters {
  agent: ReturnType<typeof createAgent>;
  store: Store | null;
  pool: BrowserPool;
  /** Where replay scripts live: Redis with a store, else `replayDir` when given, else none. */
  replay: ReplayStore | null;
  close(): Promise<void>;
}

/** The replay store of a run: beside the results in Redis, or files in `dir` without a store. */
export function replayStoreFor(store: RedisStore | null, dir?: string): ReplayStore | null {
  if (store) return createRedisReplayStore(store);
  return dir ? createFileReplayStore(dir) : null;
}

/** Opens the browser pool, the agent over it, and the store when Redis is configured. */
export function createRunAdapters(
  env: HouseCatEnv,
  options: { logger?: Logger; replayDir?: string } = {},
): RunAdapters {
  const store = createStore(env);
  const pool = new BrowserPool({ env });
  const replay = replayStoreFor(store, options.replayDir);
  const agent = createAgent({ env, pool, replay, ...(options.logger ? { logger: options.logger } : {}) });
  return {
    agent,
    store,
    pool,
    replay,
    async close() {
      await pool.close().catch(() => undefined);
      await store?.close().catch(() => undefined);
    },
  };
}

/**
 * What the app (`housecat serve`) runs over besides its storage: one browser pool, the agent over
 * it with the replay scripts beside the results, and QStash's schedule list for the watchdog's
 * check when a token allows listing them.
 */
export function createAppAdapters(env: HouseCatEnv, storage: Storage, logger: Logger) {
  const pool = new BrowserPool({ env });
  return {
    pool,
    agent: createAgent({ env, pool, logger, replay: storage.replay }),
    schedules: env.QSTASH_TOKEN
      ? createQStashScheduler({
          token: env.QSTASH_TOKEN,
          ...(env.QSTASH_URL ? { baseUrl: env.QSTASH_URL } : {}),
        })
      : null,
  };
}

/** Where a sync's QStash settings come from, named in its errors (an env var, or an Action input). */
export interface SyncSettings {
  dryRun: boolean;
  token?: string;
  url?: string;
  tokenSource: string;
  urlSource: string;
}

/** The QStash scheduler of a sync, or null for a dry run or without a token. */
export function createSyncScheduler(options: SyncSettings) {
  if (options.dryRun || !options.token) return null;
  return createQStashScheduler({
    token: options.token,
    ...(options.url ? { baseUrl: options.url } : {}),
    tokenSource: options.tokenSource,
    urlSource: options.urlSource,
  });
}

/**
 * What `syncTests` (app/sync-tests.ts) needs, for `housecat sync` and the Action's sync mode alike:
 * the store, the status page settings beside it, the scheduler (none for a dry run) and the clock.
 */
export function composeSync(storage: Storage, settings: SyncSettings, logger: Logger) {
  return {
    store: storage.results,
    statusPages: storage.status,
    scheduler: createSyncScheduler(settings),
    clock: systemClock,
    logger,
  };
}
