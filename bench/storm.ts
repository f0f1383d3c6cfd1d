/**
 * A failure storm with production settings: 100 tests (`failure_threshold: 1`) fail at once, 100
 * signed deliveries arrive together over HTTP, and the app opens their issues through the GitHub
 * stand-in, which enforces GitHub's secondary limit on content creation (80 a minute, then 403).
 * The app runs with its defaults: Probot's Octokit without its request queue, HouseCat's content
 * throttle (75 a minute, 480 an hour), deliveries waiting at most 20 s for GitHub.
 *
 * Measures: time until every delivery is answered; time until all 100 issues exist; 403s received.
 * Run: npm run bench storm
 */
import { randomUUID } from 'node:crypto';
import { storageOf } from '../src/adapters/compose-storage.js';
import { createStore } from '../src/adapters/store/index.js';
import { createApp } from '../src/bot/app.js';
import type { Agent } from '../src/core/ports.js';
import type { TestDefinition } from '../src/core/types.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { signQStashRequest } from '../tests/support/qstash-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';

const PUBLIC_URL = 'https://housecat.bench';
const STORM = 100;
const signing = { current: `cur_${randomUUID()}`, next: `next_${randomUUID()}` };
const redis = await startRedisServer();
const gh = await startGitHubServer({
  installations: [{ id: 1, repos: ['acme/shop'] }],
  contentLimit: { max: 80, windowMs: 60_000 },
});
const store = createStore({ REDIS_URL: redis.url }, { prefix: 'bench-storm:' })!;
const failing: Agent = {
  async run({ test, runId }) {
    const now = Date.now();
    return {
      runId,
      testId: test.id,
      status: 'failed',
      reason: 'text "Welcome" not found',
      agent: 'checks',
      startedAt: now,
      durationMs: 1,
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
  agent: failing,
  logLevel: 'fatal',
  logger: { info() {}, warn() {}, error() {} },
});
const server = await app.listen(0);

const tests: TestDefinition[] = Array.from({ length: STORM }, (_, i) => ({
  id: `acme--shop--storm-${i}`,
  slug: `storm-${i}`,
  repo: 'acme/shop',
  name: `Storm ${i}`,
  url: 'https://shop.example.com/',
  timeout: 30,
  retries: 0,
  failureThreshold: 1,
  recoveryThreshold: 1,
  agent: 'checks',
  maxSteps: 10,
  allowedHosts: [],
  secrets: [],
  expect: { status: 200 },
}));
await store.applySync('acme/shop', {
  upsert: tests.map((definition) => ({ definition, contentHash: 'h', updatedAt: Date.now() })),
  remove: [],
});

async function deliver(testId: string): Promise<void> {
  const path = `/api/callback/${testId}`;
  const body = JSON.stringify({ testId });
  const signature = signQStashRequest({ signingKey: signing.current, url: `${PUBLIC_URL}${path}`, body });
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'upstash-signature': signature, 'upstash-message-id': `msg_${randomUUID()}` },
    body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`delivery for ${testId} answered ${res.status}`);
}

const started = performance.now();
await Promise.all(tests.map((t) => deliver(t.id)));
const answeredMs = performance.now() - started;
while (gh.state.issues.length < STORM && performance.now() - started < 600_000) {
  await new Promise((r) => setTimeout(r, 50));
}
const allIssuesMs = performance.now() - started;
const refused = gh.requests.filter((r) => r.status === 403).length;
const creates = gh.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues').length;

console.log(
  `${STORM} tests failing at once (failure_threshold 1), production throttle 75/min, stand-in limit 80/min`,
);
console.log(`   every delivery answered: ${(answeredMs / 1000).toFixed(1)} s`);
console.log(`   all ${gh.state.issues.length} issues exist:  ${(allIssuesMs / 1000).toFixed(1)} s`);
console.log(`   issue creates sent: ${creates}   refused with 403: ${refused}`);

await server.close();
await store.close();
await gh.close();
await redis.stop();
