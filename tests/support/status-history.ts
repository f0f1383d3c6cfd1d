/**
 * Seeds a repository with many tests and weeks of 5-minute history for status-page reads (tests and
 * bench/status.ts). Rollups get every hour of the history; `results:` gets only the newest runs,
 * because a status read takes the newest N with LIMIT and never looks further back (seeding 30 days
 * of raw results for 100 tests would cost about 400 MB for nothing).
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { encodeResult } from '../../src/adapters/store/codec.js';
import type { RedisStore } from '../../src/adapters/store/index.js';
import { packHour } from '../../src/adapters/store/rollup-packing.js';
import { statusStoreOf } from '../../src/adapters/store/status-store.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { parseDefinitions } from '../../src/core/config/parse.js';
import { type RollupRun, rollUp } from '../../src/core/status/rollup.js';
import type { RunResult, TestDefinition } from '../../src/core/types.js';

export interface SeedOptions {
  repo: string;
  tests: number;
  days: number;
  /** Newest results kept in `results:` per test. */
  results: number;
  now: number;
}

function definition(repo: string, i: number): TestDefinition {
  const slug = `page-${String(i).padStart(3, '0')}`;
  return {
    id: `${repo.replace('/', '--')}--${slug}`,
    slug,
    repo,
    name: `Page ${i}`,
    url: `https://shop.example.com/${slug}`,
    goal: 'Open the page and check the offers are listed',
    schedule: '*/5 * * * *',
    timeout: 120,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 25,
    allowedHosts: [],
    secrets: [],
  };
}

/** Writes the tests, their rollups and newest results; returns the test definitions. */
export async function seedStatusHistory(
  store: RedisStore,
  redisUrl: string,
  options: SeedOptions,
): Promise<TestDefinition[]> {
  const raw = createClient({ url: redisUrl, RESP: 2 });
  await raw.connect();
  const defs = Array.from({ length: options.tests }, (_, i) => definition(options.repo, i));
  await store.applySync(options.repo, {
    upsert: defs.map((d) => ({ definition: d, contentHash: 'seed', updatedAt: options.now })),
    remove: [],
  });
  const step = 5 * 60_000;
  const count = Math.floor((options.days * 86_400_000) / step);
  for (const [t, d] of defs.entries()) {
    const runs: (RollupRun & { i: number })[] = [];
    for (let i = 0; i < count; i++) {
      const failed = (i + t) % 37 === 0;
      runs.push({
        i,
        status: failed ? 'failed' : (i + t) % 101 === 0 ? 'error' : 'passed',
        startedAt: options.now - (count - 1 - i) * step,
        responseMs: 120 + ((i * 7 + t * 13) % 900),
        durationMs: 4000,
      });
    }
    const hours = rollUp(runs);
    const multi = raw.multi();
    multi.hSet(
      store.keys.stats(d.id),
      Object.fromEntries([...hours].map(([hour, counts]) => [String(hour), packHour(counts)])),
    );
    for (const run of runs.slice(-options.results)) {
      const result: RunResult = {
        runId: randomUUID(),
        testId: d.id,
        status: run.status,
        reason: run.status === 'failed' ? 'The offers list was empty' : 'The offers are listed',
        agent: 'claude',
        startedAt: run.startedAt,
        durationMs: run.durationMs ?? 0,
        ...(run.responseMs === undefined ? {} : { responseMs: run.responseMs }),
        steps: [],
        evidence: {},
        usage: { llmCalls: 1, inputTokens: 1, outputTokens: 1 },
      };
      multi.zAdd(store.keys.results(d.id), { score: run.startedAt, value: encodeResult(result) });
    }
    await multi.exec();
  }
  await raw.close();
  return defs;
}

/** Syncs a definitions file's text (tests and status page, no schedules) for `repo` into the store. */
export async function syncFile(store: RedisStore, text: string, repo = 'acme/shop'): Promise<void> {
  const parsed = parseDefinitions(text, { file: 'housecat.yml', repo });
  if (!parsed.ok) throw new Error(`fixture file invalid: ${JSON.stringify(parsed.diagnostics)}`);
  await syncTests(
    { store, scheduler: null, clock: { now: () => Date.now() }, statusPages: statusStoreOf(store) },
    { repo, tests: parsed.tests, ...(parsed.statusPage ? { statusPage: parsed.statusPage } : {}) },
  );
}
