/**
 * The set-up every goal-agent test file repeats: the Anthropic stand-in, the env pointing the real
 * SDK at it, a browser pool on the system Chromium, the fixture apps and, for replay, a fresh script
 * store per test in the real redis-server, all closed after the file. `useAgentHarness()` registers
 * the vitest hooks; read the parts from the object it returns inside a test or hook.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { BrowserPool } from '../../src/adapters/browser/browser-pool.js';
import type { HouseCatEnv } from '../../src/adapters/env.js';
import { createRedisReplayStore, createTcpStore, type RedisStore } from '../../src/adapters/store/index.js';
import type { ReplayStore } from '../../src/core/replay/index.js';
import { type AnthropicServer, agentEnv, startAnthropicServer } from './anthropic-server.js';
import { type FixtureApps, startFixtureApps } from './fixture-apps.js';
import { testRedisUrl, uniquePrefix } from './redis.js';
import { requireChromium } from './system.js';

export interface AgentHarnessOptions<P extends BrowserPool> {
  /** Start the fixture apps and reset `/live` to `ok` before each test (default true). */
  apps?: boolean;
  /** Builds the pool from the env (default a plain BrowserPool), e.g. a NoisyBrowserPool. */
  pool?: (env: HouseCatEnv) => P;
  /** Give each test a fresh replay store in the real redis-server under a prefix with this label. */
  replay?: string;
}

export interface AgentHarness<P extends BrowserPool = BrowserPool> {
  readonly apps: FixtureApps;
  readonly llm: AnthropicServer;
  readonly env: HouseCatEnv;
  readonly pool: P;
  /** The current test's Redis store and the replay scripts in it (only with `replay`). */
  readonly store: RedisStore;
  readonly scripts: ReplayStore;
  readonly prefix: string;
}

/** Registers the hooks that start and close the goal-agent parts for this test file. */
export function useAgentHarness<P extends BrowserPool = BrowserPool>(
  options: AgentHarnessOptions<P> = {},
): AgentHarness<P> {
  const parts: Partial<{ -readonly [K in keyof AgentHarness<P>]: AgentHarness<P>[K] }> = {};
  const wantApps = options.apps ?? true;

  beforeAll(async () => {
    const chromium = requireChromium();
    if (wantApps) parts.apps = await startFixtureApps();
    parts.llm = await startAnthropicServer();
    parts.env = agentEnv(parts.llm, chromium);
    parts.pool = options.pool ? options.pool(parts.env) : (new BrowserPool({ env: parts.env }) as P);
  });

  beforeEach(async () => {
    if (options.replay) {
      await parts.store?.close();
      parts.prefix = uniquePrefix(options.replay);
      parts.store = createTcpStore({ url: testRedisUrl(), prefix: parts.prefix });
      parts.scripts = createRedisReplayStore(parts.store);
    }
    parts.apps?.setLive('ok');
  });

  afterAll(async () => {
    await parts.store?.close();
    await parts.pool?.close();
    await parts.llm?.close();
    await parts.apps?.close();
  });

  return new Proxy({} as AgentHarness<P>, {
    get(_, key: keyof AgentHarness<P>) {
      const value = parts[key];
      if (value === undefined) {
        throw new Error(
          `agent harness: "${String(key)}" is not set up; read it inside a test or hook${NEEDS[key] ?? ''}`,
        );
      }
      return value;
    },
  });
}

/** What a part needs beyond being read after `beforeAll`, for the error when it is missing. */
const NEEDS: Partial<Record<keyof AgentHarness, string>> = {
  apps: ', and do not pass `apps: false` to useAgentHarness',
  store: ', and pass `replay` to useAgentHarness',
  scripts: ', and pass `replay` to useAgentHarness',
  prefix: ', and pass `replay` to useAgentHarness',
};
