/**
 * Benchmark of `syncTests` for 500 tests (every one scheduled) over the real stack used in
 * production, with local stand-ins for the cloud: @upstash/redis through the Upstash REST bridge
 * in front of a real redis-server, and @upstash/qstash against the QStash stand-in.
 *
 * Three scenarios: first sync, unchanged re-sync, one changed test. For each: Redis HTTP requests,
 * QStash requests, wall time. Budget (issue 4): first ≤ 3 Redis + 1 QStash per schedule;
 * unchanged ≤ 2 Redis + 0 QStash; one changed ≤ 3 Redis + 1 QStash.
 *
 *   npx tsx bench/sync.ts
 */
import { createQStashScheduler } from '../src/adapters/qstash/index.js';
import { createUpstashStore } from '../src/adapters/store/index.js';
import { syncTests } from '../src/app/sync-tests.js';
import { systemClock } from '../src/core/ports.js';
import type { TestDefinition } from '../src/core/types.js';
import { startQStashServer } from '../tests/support/qstash-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';

const N = 500;
const REPO = 'acme/shop';

function test(i: number, overrides: Partial<TestDefinition> = {}): TestDefinition {
  const slug = `page-${i}`;
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: REPO,
    name: `Page ${i}`,
    url: `https://shop.example.com/${i}`,
    goal: `Open page ${i} and check that the product list shows at least one product with a price`,
    schedule: '*/15 * * * *',
    timeout: 120,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 25,
    allowedHosts: [],
    secrets: [],
    ...overrides,
  };
}

const redis = await startRedisServer();
const bridge = await startUpstashBridge({ redisUrl: redis.url });
const qstash = await startQStashServer();
const store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: 'bench-sync:' });
const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
const deps = { store, scheduler, clock: systemClock };
const base = { repo: REPO, callbackUrl: 'https://housecat.example.com' };

const rows: string[][] = [];
async function scenario(name: string, tests: TestDefinition[], budget: { redis: number; qstash: number }) {
  bridge.reset();
  qstash.resetRequests();
  const started = performance.now();
  const outcome = await syncTests(deps, { ...base, tests });
  const ms = performance.now() - started;
  const redisRequests = bridge.count();
  const qstashRequests = qstash.counts().total ?? 0;
  const ok = redisRequests <= budget.redis && qstashRequests <= budget.qstash;
  const c = outcome.plan.counts;
  rows.push([
    name,
    `${c.create}/${c.update}/${c.unchanged}/${c.remove}`,
    String(redisRequests),
    `≤ ${budget.redis}`,
    String(qstashRequests),
    `≤ ${budget.qstash}`,
    `${ms.toFixed(0)} ms`,
    ok ? 'ok' : 'OVER BUDGET',
  ]);
  return ok;
}

const tests = Array.from({ length: N }, (_, i) => test(i));
let ok = await scenario(`first sync (${N} tests)`, tests, { redis: 3, qstash: N });
ok = (await scenario('unchanged re-sync', tests, { redis: 2, qstash: 0 })) && ok;
const changed = tests.map((t, i) => (i === 250 ? { ...t, schedule: '*/5 * * * *' } : t));
ok = (await scenario('one test changed (schedule)', changed, { redis: 3, qstash: 1 })) && ok;
const goal = changed.map((t, i) => (i === 10 ? { ...t, goal: `${t.goal}, and a cart button` } : t));
ok = (await scenario('one test changed (goal only)', goal, { redis: 3, qstash: 0 })) && ok;

const header = [
  'scenario',
  'create/update/same/remove',
  'Redis req',
  'budget',
  'QStash req',
  'budget',
  'wall',
  '',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
for (const row of [header, ...rows])
  console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
console.log(
  `QStash calls run 8 at a time; schedules in the stand-in after the run: ${qstash.schedules.size}`,
);

await store.close();
await qstash.close();
await bridge.close();
await redis.stop();
process.exit(ok ? 0 : 1);
