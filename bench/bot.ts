/**
 * Bot benchmarks: the QStash callback's own overhead — signature check, dedupe claims, test lookup,
 * lock, recording, incident evaluation — with the agent replaced by one that answers at once.
 * Everything over real HTTP against a real local redis-server (TCP store) and the GitHub stand-in.
 *
 * 1. One delivery at a time (passing test): p50 / p99 of the whole request.
 * 2. One delivery at a time for a test with an open incident (still failing: +1 GitHub read).
 * 3. 100 concurrent deliveries for 100 different tests: wall time, p50 / p99 per request.
 * 4. 100 tests failing at once past their threshold: 100 issues, each created once (stand-in limit
 *    and throttle raised to 1,000 a minute so the figure shows our overhead, not GitHub's limit).
 *
 * Run: npx tsx bench/bot.ts
 */
import { randomUUID } from 'node:crypto';
import { ProbotOctokit } from 'probot';
import { storageOf } from '../src/adapters/compose-storage.js';
import { createContentThrottle } from '../src/adapters/github/throttle.js';
import { createStore } from '../src/adapters/store/index.js';
import { createApp } from '../src/bot/app.js';
import type { Agent } from '../src/core/ports.js';
import type { RunStatus, TestDefinition } from '../src/core/types.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { signQStashRequest } from '../tests/support/qstash-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';

const PUBLIC_URL = 'https://housecat.bench';
const signing = { current: `cur_${randomUUID()}`, next: `next_${randomUUID()}` };
const redis = await startRedisServer();
const gh = await startGitHubServer({
  installations: [{ id: 1, repos: ['acme/shop'] }],
  contentLimit: { max: 1000, windowMs: 60_000 },
});
const store = createStore({ REDIS_URL: redis.url }, { prefix: 'bench:' })!;
const verdicts = new Map<string, RunStatus>();
const instant: Agent = {
  async run({ test, runId }) {
    const status = verdicts.get(test.id) ?? 'passed';
    const now = Date.now();
    return {
      runId,
      testId: test.id,
      status,
      reason: status === 'passed' ? 'ok' : 'status 500',
      agent: 'checks',
      startedAt: now,
      durationMs: 1,
      responseMs: 1,
      steps: [],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    };
  },
};
const app = await createApp({
  config: {
    appId: String(gh.appId),
    privateKey: gh.privateKey,
    webhookSecret: 'bench',
    publicUrl: PUBLIC_URL,
    signingKeys: signing,
    githubApiUrl: gh.url,
  },
  storage: storageOf(store),
  agent: instant,
  logLevel: 'fatal',
  logger: { info() {}, warn() {}, error() {} },
  Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o.throttle as object), enabled: false },
  })) as typeof ProbotOctokit,
  throttle: createContentThrottle({ max: 1000, windowMs: 60_000 }),
});
const server = await app.listen(0);

function makeTest(slug: string): TestDefinition {
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: 'acme/shop',
    name: slug,
    url: 'https://shop.example.com/',
    timeout: 30,
    retries: 0,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'checks',
    maxSteps: 10,
    allowedHosts: [],
    secrets: [],
    expect: { status: 200 },
  };
}

async function addTests(tests: TestDefinition[]): Promise<void> {
  await store.applySync('acme/shop', {
    upsert: tests.map((definition) => ({ definition, contentHash: 'h', updatedAt: Date.now() })),
    remove: [],
  });
}

async function deliver(testId: string): Promise<number> {
  const path = `/api/callback/${testId}`;
  const body = JSON.stringify({ testId });
  const signature = signQStashRequest({ signingKey: signing.current, url: `${PUBLIC_URL}${path}`, body });
  const t0 = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'upstash-signature': signature, 'upstash-message-id': `msg_${randomUUID()}` },
    body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`delivery for ${testId} answered ${res.status}`);
  return performance.now() - t0;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

// 1. sequential, passing
const passing = makeTest('passing');
await addTests([passing]);
for (let i = 0; i < 30; i++) await deliver(passing.id); // warm-up (JIT, connections, tokens)
const seq: number[] = [];
for (let i = 0; i < 500; i++) seq.push(await deliver(passing.id));
console.log('1. one delivery at a time, passing test (500 deliveries)');
console.log(`   p50 ${fmt(pct(seq, 50))}   p99 ${fmt(pct(seq, 99))}`);

// 2. sequential, failing with an open incident
const failing = makeTest('failing');
await addTests([failing]);
verdicts.set(failing.id, 'failed');
await deliver(failing.id);
await deliver(failing.id); // opens the incident
const fail: number[] = [];
for (let i = 0; i < 300; i++) fail.push(await deliver(failing.id));
console.log('2. one delivery at a time, test failing with an open incident (300 deliveries)');
console.log(
  `   p50 ${fmt(pct(fail, 50))}   p99 ${fmt(pct(fail, 99))}   issues created: ${gh.state.issues.length}`,
);

// 3. 100 concurrent, 100 tests, passing
const many = Array.from({ length: 100 }, (_, i) => makeTest(`page-${i}`));
await addTests(many);
const t3 = performance.now();
const conc = await Promise.all(many.map((t) => deliver(t.id)));
const wall3 = performance.now() - t3;
console.log('3. 100 concurrent deliveries for 100 tests (passing)');
console.log(`   wall ${fmt(wall3)}   p50 ${fmt(pct(conc, 50))}   p99 ${fmt(pct(conc, 99))}`);

// 4. 100 tests fail at once past the threshold: 100 issues
for (const t of many) verdicts.set(t.id, 'failed');
await Promise.all(many.map((t) => deliver(t.id))); // failure 1 of 2
const before = gh.state.issues.length;
const t4 = performance.now();
const opening = await Promise.all(many.map((t) => deliver(t.id))); // failure 2: the incidents open
const wall4 = performance.now() - t4;
console.log('4. 100 concurrent deliveries that each open an incident (issue created through the stand-in)');
console.log(
  `   wall ${fmt(wall4)}   p50 ${fmt(pct(opening, 50))}   p99 ${fmt(pct(opening, 99))}   issues created: ${gh.state.issues.length - before}`,
);

await server.close();
await store.close();
await gh.close();
await redis.stop();
