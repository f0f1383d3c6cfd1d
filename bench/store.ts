/**
 * Benchmark of the results store, through both adapters on a private redis-server:
 * - recording 10,000 runs of one test (result + timing + 3 events each, one round trip per run),
 *   sequentially and 16 at a time;
 * - reading 30 days of 5-minute results (8,640 entries) for one test;
 * - bytes per run in Redis (MEMORY USAGE of results + timing; INFO used_memory as a cross-check),
 *   and what 100 tests every 5 minutes for 90 days cost.
 *
 *   npx tsx bench/store.ts
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { createTcpStore, createUpstashStore, type RedisStore } from '../src/adapters/store/index.js';
import type { RunEvent, RunResult } from '../src/core/types.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';

const FIVE_MIN = 5 * 60_000;
const DAY = 86_400_000;
const RUNS = 10_000;
const MONTH_ENTRIES = 8_640; // 30 days × 288 runs a day

function result(testId: string, startedAt: number, i: number): RunResult {
  const failed = i % 20 === 0; // one run in 20 fails, with a longer reason and a failed step
  return {
    runId: randomUUID(),
    testId,
    status: failed ? 'failed' : 'passed',
    reason: failed
      ? 'After clicking "Log in" the page stayed on /login and showed "Invalid credentials" instead of the dashboard greeting "Welcome back". '.repeat(
          2,
        )
      : 'The dashboard shows "Welcome back, Demo"',
    agent: 'claude',
    startedAt,
    durationMs: 4000 + (i % 900),
    responseMs: 180 + (i % 120),
    steps: failed
      ? [
          {
            action: 'click',
            target: 'button "Log in"',
            outcome: 'page did not change',
            ok: false,
            at: startedAt,
          },
        ]
      : [],
    evidence: {},
    usage: { llmCalls: 4, inputTokens: 9000, outputTokens: 300 },
    source: { kind: 'schedule' },
  };
}

function events(at: number): RunEvent[] {
  return [
    { type: 'step', message: 'navigate https://shop.example.com/login', at },
    { type: 'step', message: 'click button "Log in"', at: at + 900 },
    { type: 'pass', message: 'The dashboard shows "Welcome back, Demo"', at: at + 4000 },
  ];
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function recordAll(
  store: RedisStore,
  testId: string,
  count: number,
  concurrency: number,
): Promise<number> {
  const now = Date.now();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const at = now - (count - 1 - i) * FIVE_MIN;
      await store.recordRun(result(testId, at, i), events(at));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const bridge = await startUpstashBridge({ redisUrl: server.url });
  const raw = createClient({ url: server.url, RESP: 2 });
  await raw.connect();
  const adapters: { name: string; make: (prefix: string) => RedisStore }[] = [
    {
      name: 'Upstash REST (bridge)',
      make: (prefix) => createUpstashStore({ url: bridge.url, token: bridge.token, prefix }),
    },
    { name: 'Redis TCP', make: (prefix) => createTcpStore({ url: server.url, prefix }) },
  ];
  try {
    console.log(
      `redis-server ${(await raw.info('server')).match(/redis_version:(\S+)/)?.[1]} on 127.0.0.1, local loopback`,
    );
    console.log(
      '\n| adapter | record 10,000 runs, 1 at a time | 16 at a time | read 8,640 results (30 days) | read 8,640 timings |',
    );
    console.log('|---|---|---|---|---|');
    for (const adapter of adapters) {
      const store = adapter.make(`bench-${adapter.name.split(' ')[0]}:`);
      const seqMs = await recordAll(store, 'bench--seq--t', RUNS, 1);
      const parMs = await recordAll(store, 'bench--par--t', RUNS, 16);
      const since = Date.now() - 30 * DAY - FIVE_MIN;
      const reads: number[] = [];
      const timingReads: number[] = [];
      let entries = 0;
      let timingEntries = 0;
      for (let i = 0; i < 15; i++) {
        let t = performance.now();
        entries = (await store.getResults('bench--seq--t', { from: since })).length;
        reads.push(performance.now() - t);
        t = performance.now();
        timingEntries = (await store.getTimings('bench--seq--t', { from: since })).length;
        timingReads.push(performance.now() - t);
      }
      if (entries < MONTH_ENTRIES || timingEntries < MONTH_ENTRIES) {
        throw new Error(
          `expected ${MONTH_ENTRIES} entries in 30 days, read ${entries} results / ${timingEntries} timings`,
        );
      }
      console.log(
        `| ${adapter.name} | ${fmt(seqMs / 1000, 2)} s (${fmt(seqMs / RUNS, 3)} ms/run, ${fmt((RUNS / seqMs) * 1000, 0)} runs/s) | ${fmt(parMs / 1000, 2)} s (${fmt((RUNS / parMs) * 1000, 0)} runs/s) | ${fmt(median(reads))} ms median (${entries} entries) | ${fmt(median(timingReads))} ms median |`,
      );
      await store.close();
    }

    // Memory: 90 days of 5-minute runs for one test (25,920 runs), as production keeps them.
    const perTest = 90 * 288;
    const store = createTcpStore({ url: server.url, prefix: 'mem:' });
    const before = Number((await raw.info('memory')).match(/used_memory:(\d+)/)?.[1]);
    await recordAll(store, 'mem--one--t', perTest, 16);
    const after = Number((await raw.info('memory')).match(/used_memory:(\d+)/)?.[1]);
    const usage = async (key: string) =>
      Number(await raw.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0']));
    const resultsBytes = await usage('mem:results:mem--one--t');
    const timingBytes = await usage('mem:timing:mem--one--t');
    const eventsBytes = await usage('mem:events:mem--one--t');
    const eventsLen = await raw.xLen('mem:events:mem--one--t');
    await store.applySync('mem/one', {
      upsert: [
        {
          definition: {
            id: 'mem--one--t',
            slug: 't',
            repo: 'mem/one',
            name: 'Login flow',
            url: 'https://shop.example.com/login',
            goal: 'Enter the demo credentials, click login, verify the dashboard shows "Welcome"',
            schedule: '*/5 * * * *',
            timeout: 120,
            retries: 1,
            failureThreshold: 2,
            recoveryThreshold: 1,
            agent: 'claude',
            maxSteps: 25,
            allowedHosts: ['auth.example.com'],
            secrets: ['DEMO_PASSWORD'],
          },
          contentHash: 'a'.repeat(64),
          updatedAt: Date.now(),
        },
      ],
      remove: [],
    });
    const testBytes = await usage('mem:test:mem--one--t');
    await store.close();
    const perRun = (resultsBytes + timingBytes) / perTest;
    const oneTest = resultsBytes + timingBytes + eventsBytes + testBytes;
    const hundred = oneTest * 100;
    console.log(
      `\nMemory, one test run every 5 minutes for 90 days (${perTest.toLocaleString('en-US')} runs kept):`,
    );
    console.log(`| key | MEMORY USAGE |`);
    console.log('|---|---|');
    console.log(`| results:{id} (${perTest} members) | ${fmt(resultsBytes / 1024 / 1024, 2)} MiB |`);
    console.log(`| timing:{id} (${perTest} members) | ${fmt(timingBytes / 1024 / 1024, 2)} MiB |`);
    console.log(`| events:{id} (capped, ${eventsLen} entries) | ${fmt(eventsBytes / 1024, 0)} KiB |`);
    console.log(`| test:{id} | ${fmt(testBytes / 1024, 1)} KiB |`);
    console.log(`bytes per run (results + timing): ${fmt(perRun, 0)} B`);
    console.log(
      `INFO used_memory delta for those ${perTest} runs: ${fmt((after - before) / perTest, 0)} B/run`,
    );
    console.log(
      `100 tests every 5 minutes for 90 days (${(perTest * 100).toLocaleString('en-US')} runs): ${fmt(hundred / 1024 / 1024, 0)} MiB ` +
        `(${fmt(hundred / 1e9, 2)} GB) of Redis memory, steady state`,
    );
  } finally {
    await raw.close();
    await bridge.close();
    await server.stop();
  }
}

await main();
