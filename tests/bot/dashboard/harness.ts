/**
 * A running HouseCat app with its dashboard for tests: real redis-server, the GitHub stand-in with
 * the OAuth web flow, an agent that emits steps at a set pace, and the app over real HTTP on a
 * port chosen before start (the public URL, and so the OAuth redirect URL, must name it).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { storageOf } from '../../../src/adapters/compose-storage.js';
import { createContentThrottle } from '../../../src/adapters/github/throttle.js';
import { createStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { type BotApp, type BotDeps, createApp } from '../../../src/bot/app.js';
import type { DashboardOptions } from '../../../src/bot/dashboard/index.js';
import type { Agent, AgentRunInput, Store } from '../../../src/core/ports.js';
import type { RunResult, RunStatus, TestDefinition } from '../../../src/core/types.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { FastOctokit } from '../harness.js';

/** alice writes to acme/shop and acme/ops, bob only reads acme/shop, carol sees nothing. */
export const PEOPLE = { writer: 'alice', reader: 'bob', outsider: 'carol' } as const;

export function shopTest(
  slug: string,
  name: string,
  goal = 'Put a hat in the cart and see it in the cart',
): TestDefinition {
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: 'acme/shop',
    name,
    url: 'https://shop.example.test/',
    goal,
    timeout: 60,
    retries: 0,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 10,
    allowedHosts: [],
    secrets: [],
  };
}

/** An agent that reports `steps` events `stepMs` apart, then its verdict. */
export interface PacedAgent extends Agent {
  calls: AgentRunInput[];
  steps: number;
  stepMs: number;
  status: RunStatus;
}

export function pacedAgent(): PacedAgent {
  const agent: PacedAgent = {
    calls: [],
    steps: 3,
    stepMs: 300,
    status: 'passed',
    async run(input): Promise<RunResult> {
      agent.calls.push(input);
      const startedAt = Date.now();
      for (let i = 1; i <= agent.steps; i++) {
        await new Promise((r) => setTimeout(r, agent.stepMs));
        input.onEvent?.({ type: 'step', message: `step ${i} of ${agent.steps}`, at: Date.now() });
      }
      const reason = agent.status === 'passed' ? 'the cart shows the hat' : 'the cart stayed empty';
      input.onEvent?.({ type: agent.status === 'passed' ? 'pass' : 'fail', message: reason, at: Date.now() });
      return {
        runId: input.runId,
        testId: input.test.id,
        status: agent.status,
        reason,
        agent: 'claude',
        startedAt,
        durationMs: Date.now() - startedAt,
        responseMs: 120,
        steps: [{ action: 'verdict', outcome: reason, ok: agent.status === 'passed', at: Date.now() }],
        evidence: agent.status === 'passed' ? {} : { screenshotBase64: TINY_PNG },
        usage: { llmCalls: 1, inputTokens: 10, outputTokens: 5 },
      };
    },
  };
  return agent;
}

/** A 1×1 PNG. */
export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface DashboardHarness {
  url: string;
  app: BotApp;
  gh: GitHubServer;
  store: Store;
  agent: PacedAgent;
  prefix: string;
  /** Moves the app's clock forward (sessions past their expiry). */
  advance(ms: number): void;
  /** Every key under the prefix with its value, to show that nothing was written. */
  snapshot(): Promise<Record<string, string>>;
  /** Milliseconds left on a key (under the prefix), -2 when it does not exist. */
  pttl(key: string): Promise<number>;
  keys(pattern: string): Promise<string[]>;
  /** Writes or reads a key under the prefix directly, as someone holding only the Redis token could. */
  setRaw(key: string, value: string): Promise<void>;
  getRaw(key: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startDashboard(
  options: {
    dashboard?: DashboardOptions;
    store?: (prefix: string) => RedisStore;
    oauth?: boolean;
    maxParallelRuns?: number;
    /** Replaces the paced agent (a real agent against a fixture app), with the app's other parts. */
    agent?: Agent;
    app?: Pick<BotDeps, 'secretsFor' | 'logger'>;
  } = {},
): Promise<DashboardHarness> {
  const gh = await startGitHubServer({
    installations: [
      { id: 11, repos: ['acme/shop'] },
      { id: 12, repos: ['acme/ops'] },
    ],
  });
  gh.setPermission('acme/shop', PEOPLE.writer, 'write');
  gh.setPermission('acme/ops', PEOPLE.writer, 'admin');
  gh.setPermission('acme/shop', PEOPLE.reader, 'read');
  const prefix = uniquePrefix('dash');
  const store = options.store?.(prefix) ?? createStore({ REDIS_URL: testRedisUrl() }, { prefix })!;
  const agent = pacedAgent();
  let offset = 0;
  // The app's clock, which the status reads share (set forward by tests of expiry).
  const clock = { now: () => Date.now() + offset };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await createApp({
    config: {
      appId: String(gh.appId),
      privateKey: gh.privateKey,
      webhookSecret: `whsec-${randomUUID()}`,
      publicUrl: url,
      signingKeys: { current: 'sig_cur', next: 'sig_next' },
      githubApiUrl: gh.url,
      ...(options.oauth === false ? {} : { oauth: gh.oauth }),
    },
    storage: storageOf(store, { clock }),
    agent: options.agent ?? agent,
    clock,
    logLevel: 'fatal',
    logger: { info() {}, warn() {}, error() {} },
    Octokit: FastOctokit,
    throttle: createContentThrottle({ max: 75, windowMs: 60_000 }),
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
    ...(options.maxParallelRuns ? { maxParallelRuns: options.maxParallelRuns } : {}),
    ...options.app,
  });
  const server = await app.listen(port);
  const redis = createClient({ url: testRedisUrl() });
  await redis.connect();
  return {
    url,
    app,
    gh,
    store,
    agent,
    prefix,
    pttl: (key) => redis.pTTL(`${prefix}${key}`),
    keys: async (pattern) =>
      (await redis.keys(`${prefix}${pattern}`)).map((k) => k.slice(prefix.length)).sort(),
    async setRaw(key, value) {
      await redis.set(`${prefix}${key}`, value);
    },
    getRaw: (key) => redis.get(`${prefix}${key}`),
    advance(ms) {
      offset += ms;
    },
    async snapshot() {
      const out: Record<string, string> = {};
      for (const key of (await redis.keys(`${prefix}*`)).sort()) {
        out[key] = String(await redis.sendCommand(['DUMP', key]));
      }
      return out;
    },
    async close() {
      await server.close();
      await redis.quit();
      await store.close();
      await gh.close();
    },
  };
}

/** Syncs the shop's tests and records a few past runs (one failure with a screenshot key). */
export async function seedShop(h: DashboardHarness): Promise<TestDefinition[]> {
  const tests = [shopTest('checkout', 'Checkout'), shopTest('search', 'Search')];
  await h.store.applySync('acme/shop', {
    upsert: tests.map((definition) => ({ definition, contentHash: 'h', updatedAt: Date.now() })),
    remove: [],
  });
  const now = Date.now();
  for (let i = 5; i >= 1; i--) {
    const failed = i === 2;
    await h.store.recordRun(
      {
        runId: randomUUID(),
        testId: tests[0]!.id,
        status: failed ? 'failed' : 'passed',
        reason: failed ? 'the cart stayed empty' : 'the cart shows the hat',
        agent: 'claude',
        startedAt: now - i * 900_000,
        durationMs: 2000 + i * 100,
        responseMs: 100 + i * 10,
        steps: [],
        evidence: {},
        usage: { llmCalls: 1, inputTokens: 1, outputTokens: 1 },
        source: { kind: 'schedule' },
      },
      [{ type: failed ? 'fail' : 'pass', message: `seeded run ${i}`, at: now - i * 900_000 }],
    );
  }
  return tests;
}
