/**
 * The scheduled-run scenarios whose Redis commands issue 25 budgets, shared by the budget test
 * (tests/bot/command-budget.test.ts) and `npm run bench commands-per-run`: the HouseCat app as
 * `housecat serve` builds it (createApp over real HTTP, signed QStash deliveries, the GitHub
 * stand-in), on a redis-server of its own so `INFO commandstats` sees nothing else, through the TCP
 * store or the Upstash REST bridge.
 *
 * The agent answers at once: Redis commands do not depend on how the page was checked, except for a
 * replayed goal, whose agent reads the replay script and marks it verified through the real Redis
 * replay store (src/adapters/store/replay-store.ts) and reports one event per replayed step, as
 * src/adapters/agent/replay/with-replay.ts does; only the browser part is left out.
 *
 * More scenarios (status page, badge, live view) can be added as rows: `measureRow` takes any work.
 */
import { randomUUID } from 'node:crypto';
import { ProbotOctokit } from 'probot';
import { storageOf } from '../../src/adapters/compose-storage.js';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import {
  createRedisReplayStore,
  createTcpStore,
  createUpstashStore,
  type RedisStore,
} from '../../src/adapters/store/index.js';
import { type BotApp, createApp } from '../../src/bot/app.js';
import type { Agent, AgentRunInput } from '../../src/core/ports.js';
import { replayHash } from '../../src/core/replay/script.js';
import type { RunResult, RunStatus, TestDefinition } from '../../src/core/types.js';
import { type CommandCount, type CommandCounter, commandCounter, countBridge } from './command-count.js';
import { type GitHubServer, startGitHubServer } from './github-server.js';
import { signQStashRequest } from './qstash-server.js';
import { type RestartableRedisServer, startRedisServer } from './redis-server.js';
import { startUpstashBridge, type UpstashBridge } from './upstash-bridge.js';

const PUBLIC_URL = 'https://housecat.budget.test';
/** Steps of the replayed goal: a login (navigate, two fills, a click, the check). */
export const REPLAY_STEPS = 5;

export interface BudgetApp {
  transport: 'tcp' | 'upstash';
  store: RedisStore;
  gh: GitHubServer;
  counter: CommandCounter;
  bridge?: UpstashBridge;
  /** Sets the verdict of a test's next runs. */
  verdicts: Map<string, RunStatus>;
  addTest(test: TestDefinition): Promise<void>;
  /** One signed delivery of a fresh message; throws unless the app answered 200. */
  deliver(testId: string): Promise<Record<string, unknown>>;
  /** Counts the commands `work` cost (commandstats and MONITOR; the bridge too over Upstash). */
  measure(work: () => Promise<unknown>): Promise<CommandCount & { bridge?: number }>;
  close(): Promise<void>;
}

/** A checks test (or, with `goal`, a claude goal test that replays). */
export function budgetTest(slug: string, options: { goal?: boolean; failureThreshold?: number } = {}) {
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: 'acme/shop',
    name: slug,
    url: 'https://shop.example.com/',
    timeout: 30,
    retries: 0,
    failureThreshold: options.failureThreshold ?? 2,
    recoveryThreshold: 1,
    agent: options.goal ? 'claude' : 'checks',
    maxSteps: 10,
    allowedHosts: [],
    secrets: [],
    ...(options.goal ? { goal: 'Sign in and see "Welcome"' } : { expect: { status: 200 } }),
  } satisfies TestDefinition;
}

function result(input: AgentRunInput, status: RunStatus, extra: Partial<RunResult> = {}): RunResult {
  const now = Date.now();
  return {
    runId: input.runId,
    testId: input.test.id,
    status,
    reason: status === 'passed' ? 'all checks passed' : 'status 500',
    agent: input.test.agent,
    startedAt: now,
    durationMs: 1,
    responseMs: 1,
    steps: [],
    evidence: {},
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    ...extra,
  };
}

/** Starts redis-server, the GitHub stand-in and the app, over `transport`. */
export async function startBudgetApp(transport: 'tcp' | 'upstash'): Promise<BudgetApp> {
  const redis: RestartableRedisServer = await startRedisServer();
  const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/shop'] }] });
  const bridge = transport === 'upstash' ? await startUpstashBridge({ redisUrl: redis.url }) : undefined;
  const store = bridge
    ? createUpstashStore({ url: bridge.url, token: bridge.token })
    : createTcpStore({ url: redis.url });
  const replay = createRedisReplayStore(store);
  const verdicts = new Map<string, RunStatus>();
  const agent: Agent = {
    async run(input) {
      const { test } = input;
      if (test.goal) {
        // What with-replay.ts does around a replay that holds: read, replay, mark verified.
        const script = await replay.get(test.id);
        if (!script) throw new Error(`no replay script for ${test.id}`);
        for (const [i, step] of script.steps.entries())
          input.onEvent?.({ type: 'step', message: `replay ${i + 1}: ${step.action}`, at: Date.now() });
        await replay.markVerified(test.id, Date.now());
        input.onEvent?.({ type: 'pass', message: 'replayed', at: Date.now() });
        return result(input, 'passed', { mode: 'replay' });
      }
      const status = verdicts.get(test.id) ?? 'passed';
      input.onEvent?.({ type: 'step', message: `open ${test.url}`, at: Date.now() });
      input.onEvent?.({ type: status === 'passed' ? 'pass' : 'fail', message: status, at: Date.now() });
      return result(input, status);
    },
  };
  const signing = { current: `cur_${randomUUID()}`, next: `next_${randomUUID()}` };
  const app: BotApp = await createApp({
    config: {
      appId: String(gh.appId),
      privateKey: gh.privateKey,
      webhookSecret: 'budget',
      publicUrl: PUBLIC_URL,
      signingKeys: signing,
      githubApiUrl: gh.url,
    },
    storage: storageOf(store),
    agent,
    logLevel: 'fatal',
    logger: { info() {}, warn() {}, error() {} },
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      throttle: { ...(o.throttle as object), enabled: false },
    })) as typeof ProbotOctokit,
    throttle: createContentThrottle({ max: 1000, windowMs: 60_000 }),
    // The answer waits for the GitHub work, so nothing of a delivery is left running when it is counted.
    incidentWaitMs: 60_000,
  });
  const server = await app.listen(0);
  const counter = await commandCounter(redis.url);
  // The start-up sweep of the outbox runs once: let it finish before anything is counted.
  await app.outbox.drainAll();

  return {
    transport,
    store,
    gh,
    counter,
    ...(bridge ? { bridge } : {}),
    verdicts,
    async addTest(test) {
      await store.applySync(test.repo, {
        upsert: [{ definition: test, contentHash: 'h', updatedAt: Date.now() }],
        remove: [],
      });
      if (test.goal) {
        await replay.save({
          testId: test.id,
          contentHash: replayHash(test),
          recordedAt: Date.now(),
          model: 'claude-sonnet-5',
          steps: Array.from({ length: REPLAY_STEPS }, () => ({
            action: 'navigate' as const,
            url: test.url,
            after: test.url,
          })),
          evidence: { textVisible: ['Welcome'] },
        });
      }
    },
    async deliver(testId) {
      const path = `/api/callback/${testId}`;
      const body = JSON.stringify({ testId });
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'upstash-message-id': `msg_${randomUUID()}`,
          'upstash-retried': '0',
          'upstash-signature': signQStashRequest({
            signingKey: signing.current,
            url: `${PUBLIC_URL}${path}`,
            body,
          }),
        },
        body,
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200)
        throw new Error(`delivery of ${testId} answered ${res.status}: ${JSON.stringify(json)}`);
      return json;
    },
    async measure(work) {
      bridge?.reset();
      const { count } = await counter.measure(work);
      return bridge ? { ...count, bridge: countBridge(bridge).sent } : count;
    },
    async close() {
      await server.close();
      await counter.close();
      await store.close();
      await bridge?.close();
      await gh.close();
      await redis.stop();
    },
  };
}
