/**
 * Status page benchmarks, over real HTTP against the app, on a private redis-server:
 *
 * 1. `GET /status/{owner}/{repo}` for 100 tests with 30 days of 5-minute history (rollups for every
 *    hour; the newest 120 results per test), through the TCP store and through the Upstash REST
 *    bridge: server time p50 / p95 (request to last byte, on loopback), Redis requests per page,
 *    page weight raw and gzipped.
 * 2. A badge and one test of the read API: p50 / p95.
 * 3. What rollups add to recording a run: recordRun with and without the rollup EVAL (one MULTI
 *    either way), and the bytes a 90-day rollup hash takes.
 *
 * Run: npx tsx bench/status.ts   (or npm run bench status)
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createClient } from 'redis';
import { storageOf } from '../src/adapters/compose-storage.js';
import { recordRunCommands } from '../src/adapters/store/commands.js';
import { createTcpStore, createUpstashStore, type RedisStore } from '../src/adapters/store/index.js';
import { statusStoreOf } from '../src/adapters/store/status-store.js';
import { createApp } from '../src/bot/app.js';
import type { Agent } from '../src/core/ports.js';
import type { RunResult } from '../src/core/types.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { seedStatusHistory } from '../tests/support/status-history.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';

const TESTS = 100;
const PAGE_RUNS = 40;
const SMALL_RUNS = 200;
const RECORD_RUNS = 2000;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function time(url: string, runs: number): Promise<{ p50: number; p95: number; body: string }> {
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await fetch(url);
    body = await res.text();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 200)}`);
  }
  return { p50: pct(times, 50), p95: pct(times, 95), body };
}

function run(testId: string, at: number, i: number): RunResult {
  return {
    runId: randomUUID(),
    testId,
    status: i % 20 === 0 ? 'failed' : 'passed',
    reason: 'The dashboard shows "Welcome back, Demo"',
    agent: 'claude',
    startedAt: at,
    durationMs: 4000,
    responseMs: 150 + (i % 400),
    steps: [],
    evidence: {},
    usage: { llmCalls: 1, inputTokens: 1, outputTokens: 1 },
  };
}

const redis = await startRedisServer();
const bridge = await startUpstashBridge({ redisUrl: redis.url });
const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/big'] }] });
const raw = createClient({ url: redis.url, RESP: 2 });
await raw.connect();
const now = Date.now();
const adapters: { name: string; store: RedisStore }[] = [
  { name: 'Redis TCP', store: createTcpStore({ url: redis.url, prefix: 'bench:' }) },
  {
    name: 'Upstash REST (bridge)',
    store: createUpstashStore({ url: bridge.url, token: bridge.token, prefix: 'bench:' }),
  },
];
const seeded = await seedStatusHistory(adapters[0]!.store, redis.url, {
  repo: 'acme/big',
  tests: TESTS,
  days: 30,
  results: 120,
  now,
});
await statusStoreOf(adapters[0]!.store).saveStatusSettings('acme/big', {
  public: true,
  title: 'Acme status',
  showGoals: false,
});
console.log(
  `redis-server ${(await raw.info('server')).match(/redis_version:(\S+)/)?.[1]}, ${TESTS} tests × 30 days of 5-minute runs`,
);

const agent: Agent = { run: async () => Promise.reject(new Error('no runs in this benchmark')) };
console.log(
  '\n| store | page p50 | page p95 | Redis requests per page | badge p50 / p95 | API test p50 / p95 |',
);
console.log('|---|---|---|---|---|---|');
let weight = { raw: 0, gzip: 0 };
for (const { name, store } of adapters) {
  const app = await createApp({
    config: {
      appId: String(gh.appId),
      privateKey: gh.privateKey,
      webhookSecret: 'bench',
      publicUrl: 'https://housecat.bench',
      signingKeys: { current: 'a', next: 'b' },
      githubApiUrl: gh.url,
    },
    storage: storageOf(store),
    agent,
    logLevel: 'fatal',
    logger: { info() {}, warn() {}, error() {} },
  });
  const server = await app.listen(0);
  await time(`${server.url}/status/acme/big`, 3); // warm-up: connections, JIT
  bridge.reset();
  const page = await time(`${server.url}/status/acme/big`, PAGE_RUNS);
  const perPage = name.startsWith('Upstash') ? String(bridge.count() / PAGE_RUNS) : '2 (pipelines)';
  const slug = seeded[7]?.slug;
  const badge = await time(`${server.url}/badge/acme/big/${slug}/uptime-30d.svg`, SMALL_RUNS);
  const api = await time(`${server.url}/api/v1/status/acme/big/${slug}?range=30d`, SMALL_RUNS);
  weight = { raw: Buffer.byteLength(page.body), gzip: gzipSync(page.body).length };
  console.log(
    `| ${name} | ${ms(page.p50)} | ${ms(page.p95)} | ${perPage} | ${ms(badge.p50)} / ${ms(badge.p95)} | ${ms(api.p50)} / ${ms(api.p95)} |`,
  );
  await server.close();
}
console.log(
  `\nPage weight (${TESTS} tests): ${(weight.raw / 1024).toFixed(0)} KiB HTML, ${(weight.gzip / 1024).toFixed(0)} KiB gzipped; no script, no other request.`,
);

// What the rollup adds to recording a run: the same MULTI with and without its EVAL.
console.log('\n| store | recordRun with rollup (1 MULTI) | without rollup (1 MULTI) | requests per run |');
console.log('|---|---|---|---|');
for (const { name, store } of adapters) {
  const withRollup: number[] = [];
  const without: number[] = [];
  const base = Date.now() - RECORD_RUNS * 300_000;
  bridge.reset();
  for (let i = 0; i < RECORD_RUNS; i++) {
    const result = run('bench--rec--with', base + i * 300_000, i);
    let t = performance.now();
    await store.recordRun(result, []);
    withRollup.push(performance.now() - t);
    const plain = run('bench--rec--without', base + i * 300_000, i);
    const commands = recordRunCommands(store.keys, store.limits, plain, [], Date.now()).filter(
      (c) => c[0] !== 'EVAL',
    );
    t = performance.now();
    await store.transport.transaction('record run', commands);
    without.push(performance.now() - t);
  }
  const perRun = name.startsWith('Upstash') ? String(bridge.count() / (2 * RECORD_RUNS)) : '1';
  console.log(
    `| ${name} | p50 ${ms(pct(withRollup, 50))}, p95 ${ms(pct(withRollup, 95))} | p50 ${ms(pct(without, 50))}, p95 ${ms(pct(without, 95))} | ${perRun} |`,
  );
}

const usage = async (key: string) => Number(await raw.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0']));
const month = await usage(`bench:stats:${seeded[0]?.id}:h`);
const hours = await raw.hLen(`bench:stats:${seeded[0]?.id}:h`);
console.log(
  `\nRollup memory: ${hours} hours take ${(month / 1024).toFixed(1)} KiB (${(month / hours).toFixed(0)} B per hour); 90 days ≈ ${(((month / hours) * 2160) / 1024).toFixed(0)} KiB per test.`,
);

for (const { store } of adapters) await store.close();
await raw.close();
await gh.close();
await bridge.close();
await redis.stop();
