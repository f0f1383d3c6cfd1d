/**
 * A running HouseCat app for bot tests: real redis-server (TCP store), the GitHub stand-in, an Agent
 * whose verdict the test sets per test id, and the app over real HTTP on an ephemeral port.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { ProbotOctokit } from 'probot';
import { createClient } from 'redis';
import { storageOf } from '../../src/adapters/compose-storage.js';
import { type ContentThrottle, createContentThrottle } from '../../src/adapters/github/throttle.js';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import { type BotApp, createApp } from '../../src/bot/app.js';
import type { ChannelSpec } from '../../src/core/notify/channels.js';
import type { Agent, AgentRunInput, Clock, Logger, StatusReader, Store } from '../../src/core/ports.js';
import type { EnvironmentFacts } from '../../src/core/run/environment-check.js';
import type { ScheduleLister } from '../../src/core/scheduling/ports.js';
import type { RunResult, RunStatus, TestDefinition } from '../../src/core/types.js';
import type { ServerLimits } from '../../src/web/server-limits.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { signQStashRequest } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

export const PUBLIC_URL = 'https://housecat.example.test';
export const WEBHOOK_SECRET = `whsec-${randomUUID()}`;

/** Probot's Octokit without the plugin's 3 s pause between content creations (our throttle stays). */
export const FastOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
})) as typeof ProbotOctokit;

export interface ScriptedAgent extends Agent {
  calls: AgentRunInput[];
  verdict: Map<string, { status: RunStatus; reason?: string; delayMs?: number; responseMs?: number }>;
}

/** `now`: the clock runs are timed by (the app's clock in tests that fast-forward one). */
export function scriptedAgent(now: () => number = Date.now): ScriptedAgent {
  const calls: AgentRunInput[] = [];
  const verdict = new Map<
    string,
    { status: RunStatus; reason?: string; delayMs?: number; responseMs?: number }
  >();
  return {
    calls,
    verdict,
    async run(input): Promise<RunResult> {
      calls.push(input);
      const v = verdict.get(input.test.id) ?? { status: 'passed' };
      const startedAt = now();
      input.onEvent?.({ type: 'step', message: `open ${input.test.url}`, at: startedAt });
      if (v.delayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, v.delayMs);
          input.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      const reason = v.reason ?? (v.status === 'passed' ? 'all checks passed' : 'text "Welcome" not found');
      input.onEvent?.({ type: v.status === 'passed' ? 'pass' : 'fail', message: reason, at: Date.now() });
      return {
        runId: input.runId,
        testId: input.test.id,
        status: v.status,
        reason,
        agent: input.test.agent,
        startedAt,
        durationMs: Math.max(0, now() - startedAt),
        responseMs: v.responseMs ?? 42,
        steps: [
          {
            action: 'check:text',
            target: 'Welcome',
            outcome: reason,
            ok: v.status === 'passed',
            at: Date.now(),
          },
        ],
        evidence: { screenshotBase64: 'iVBORw0KGgo=' },
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      };
    },
  };
}

export interface Harness {
  url: string;
  /** The URL the app checks signatures for: PUBLIC_URL, or its own address with `localPublicUrl`. */
  publicUrl: string;
  app: BotApp;
  gh: GitHubServer;
  store: Store;
  agent: ScriptedAgent;
  prefix: string;
  signing: { current: string; next: string };
  /** Keys under this harness's prefix in Redis. */
  keys(): Promise<string[]>;
  addTest(test: TestDefinition): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    maxRunMs?: number;
    gh?: GitHubServer;
    incidentWaitMs?: number;
    store?: (prefix: string) => RedisStore;
    /** The app's clock (e.g. the QStash stand-in's cron clock). */
    clock?: Clock;
    /** Signing keys (e.g. the QStash stand-in's), instead of fresh ones. */
    signing?: { current: string; next: string };
    /** Make the app's public URL its own address, so the QStash stand-in can call it directly. */
    localPublicUrl?: boolean;
    throttle?: ContentThrottle;
    maxParallelRuns?: number;
    /** QStash's schedule list, for the watchdog's check. */
    schedules?: ScheduleLister;
    /** The app's agent instead of the scripted one (e.g. the real agent over a real browser). */
    agent?: Agent;
    /** What the app's environment offers (keys, secrets), as `housecat serve` reads it. */
    environment?: EnvironmentFacts;
    secretsFor?: (names: string[]) => Record<string, string>;
    /** Where the app's own log goes (default: nowhere). */
    logger?: Logger;
    /** Server timeouts and connection cap (src/web/server-limits.ts). */
    serverLimits?: Partial<ServerLimits>;
    /**
     * The public read cache's period; default 0 (off), so tests that sync and read at once see the
     * new state (tests/bot/public-cache.test.ts turns it on).
     */
    publicCacheMs?: number;
    /** Turns on GET /metrics behind this bearer token. */
    metricsToken?: string;
    /** Wraps the Redis status reader the public routes use (to count its reads). */
    statusReader?: (reader: StatusReader) => StatusReader;
    /** Alert channels, as `housecat serve` reads them from HOUSECAT_NOTIFY_*. */
    channels?: ChannelSpec[];
    /** The outbox drainer's lease (default 15 s): shorter where a test kills a drainer. */
    outboxLeaseMs?: number;
    /** The outbox's first retry pause (default 2 s, doubling): shorter where a test makes sends fail. */
    outboxFirstRetryMs?: number;
  } = {},
): Promise<Harness> {
  const gh = options.gh ?? (await startGitHubServer({ installations: [{ id: 11, repos: ['acme/shop'] }] }));
  const prefix = uniquePrefix('bot');
  // Another store (Upstash REST through the bridge) gets the same prefix, so keys() sees its keys.
  // The store keeps time on the app's clock too (the outbox's due times, retention), as in production.
  const store =
    options.store?.(prefix) ??
    createStore(
      { REDIS_URL: testRedisUrl() },
      { prefix, ...(options.clock ? { clock: options.clock } : {}) },
    )!;
  const storage = storageOf(store, options.clock ? { clock: options.clock } : {});
  const agent = scriptedAgent(options.clock ? () => options.clock!.now() : undefined);
  const signing = options.signing ?? { current: `sig_cur_${randomUUID()}`, next: `sig_next_${randomUUID()}` };
  const port = options.localPublicUrl ? await freePort() : 0;
  const publicUrl = options.localPublicUrl ? `http://127.0.0.1:${port}` : PUBLIC_URL;
  const app = await createApp({
    config: {
      appId: String(gh.appId),
      privateKey: gh.privateKey,
      webhookSecret: WEBHOOK_SECRET,
      publicUrl,
      signingKeys: signing,
      githubApiUrl: gh.url,
    },
    storage,
    agent: options.agent ?? agent,
    logLevel: 'fatal',
    logger: options.logger ?? { info() {}, warn() {}, error() {} },
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.secretsFor ? { secretsFor: options.secretsFor } : {}),
    Octokit: FastOctokit,
    throttle: options.throttle ?? createContentThrottle({ max: 75, windowMs: 60_000 }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.schedules ? { schedules: options.schedules } : {}),
    ...(options.maxRunMs ? { maxRunMs: options.maxRunMs } : {}),
    ...(options.incidentWaitMs !== undefined ? { incidentWaitMs: options.incidentWaitMs } : {}),
    ...(options.maxParallelRuns !== undefined ? { maxParallelRuns: options.maxParallelRuns } : {}),
    ...(options.serverLimits ? { serverLimits: options.serverLimits } : {}),
    publicCacheMs: options.publicCacheMs ?? 0,
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.outboxLeaseMs !== undefined ? { outboxLeaseMs: options.outboxLeaseMs } : {}),
    ...(options.outboxFirstRetryMs !== undefined ? { outboxFirstRetryMs: options.outboxFirstRetryMs } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.statusReader ? { statusReader: options.statusReader(storage.status) } : {}),
  });
  const server = await app.listen(port);
  const redis = createClient({ url: testRedisUrl() });
  await redis.connect();
  return {
    url: server.url,
    publicUrl,
    app,
    gh,
    store,
    agent,
    prefix,
    signing,
    keys: async () => (await redis.keys(`${prefix}*`)).sort(),
    async addTest(test) {
      await store.applySync(test.repo, {
        upsert: [{ definition: test, contentHash: 'h', updatedAt: Date.now() }],
        remove: [],
      });
    },
    async close() {
      await server.close();
      await redis.quit();
      await store.close();
      if (!options.gh) await gh.close();
    },
  };
}

/** A port that was free a moment ago (the app must know its public URL before it listens). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Sends one QStash delivery of `testId` to the app at `base`, signed with `signingKey` for the public
 * URL, as QStash does for every attempt (each with a fresh token of its own).
 */
export async function deliverScheduled(
  base: string,
  signingKey: string,
  testId: string,
  options: { messageId?: string; retried?: number } = {},
): Promise<{ status: number; retryAfter: string | null; json: Record<string, unknown> }> {
  const path = `/api/callback/${testId}`;
  const body = JSON.stringify({ testId });
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'upstash-message-id': options.messageId ?? `msg_${randomUUID()}`,
      'upstash-retried': String(options.retried ?? 0),
      'upstash-signature': signQStashRequest({ signingKey, url: `${PUBLIC_URL}${path}`, body }),
    },
    body,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

/** The most content creations (issues, comments) the stand-in accepted in any window of `windowMs`. */
export function busiestWindow(gh: GitHubServer, windowMs: number): number {
  const at = gh.requests
    .filter((r) => r.method === 'POST' && /\/issues(\/\d+\/comments)?$/.test(r.path) && r.status === 201)
    .map((r) => r.at);
  return Math.max(0, ...at.map((t) => at.filter((x) => x >= t && x < t + windowMs).length));
}
