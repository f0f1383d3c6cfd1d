/**
 * Capacity of one `housecat serve` (the real CLI from source, its default run slots unless `--slots`)
 * on this machine, with `checks` tests against a local page and deliveries sent as QStash sends them
 * (bench/_qstash-load.ts: signed, flow control, retries after Retry-After):
 *
 * 1. Peak: deliveries offered at rising rates, evenly spread, flow control = the app's slots; the
 *    peak is the most runs finished per minute in a step. It stops once a step finishes < 90% of
 *    what it was offered.
 * 2. Past capacity: 1.5× the peak offered for 3 minutes, flow control at twice the slots (as with a
 *    replica down), so the app must refuse the excess with 429: runs finished per minute as % of the
 *    peak (issue 25: ≥ 90%), the 429s, and the messages that ran out of retries (QStash's DLQ).
 * 3. Spread schedules: 500 tests on `H/5 * * * *` (each at its own minute and second of the minute,
 *    hashed from its id), every one delivered when due over 5 real minutes (QStash holds a
 *    schedule's message for its delay), flow control = the slots: p95 lateness from the due time to
 *    the accepted attempt (issue 25: < 30 s), and the app's own recorded p95.
 *
 * Every run is checked in Redis afterwards. Run: npm run bench capacity (about 12 minutes), or
 * `npx tsx bench/capacity.ts --short` (about 3 minutes: short steps, 30 s past capacity, the H/5
 * ticks of one minute). `--slots N` sets HOUSECAT_MAX_PARALLEL_RUNS.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { createStore } from '../src/adapters/store/index.js';
import { dueOffsetMs, nextDue } from '../src/core/scheduling/cron-ticks.js';
import { startFixtureApps } from '../tests/support/fixture-apps.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { loginChecksTest } from './_checks-test.js';
import { percentile, qstashLoad } from './_qstash-load.js';
import { PUBLIC_URL, signing, startServe } from './_serve.js';

const SHORT = process.argv.includes('--short');
const slotsArg = process.argv.indexOf('--slots');
const SLOTS_GIVEN = slotsArg > 0 ? Number(process.argv[slotsArg + 1]) : undefined;
const STEP_MS = SHORT ? 15_000 : 20_000;
const RATES = [120, 180, 240, 300, 360, 420];
const OVERLOAD_MS = SHORT ? 30_000 : 180_000;
const H_TESTS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const redis = await startRedisServer();
const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/shop'] }] });
const apps = await startFixtureApps();
const prefix = `bench-capacity-${randomUUID().slice(0, 8)}:`;
const store = createStore({ REDIS_URL: redis.url }, { prefix })!;

const checksTest = (slug: string, schedule?: string) => loginChecksTest(slug, apps.url, schedule);

const pool = Array.from({ length: 1500 }, (_, i) => checksTest(`load-${i}`));
const spread = Array.from({ length: H_TESTS }, (_, i) => checksTest(`spread-${i}`, 'H/5 * * * *'));
await store.applySync('acme/shop', {
  upsert: [...pool, ...spread].map((d) => ({ definition: d, contentHash: 'h', updatedAt: Date.now() })),
  remove: [],
});
const app = await startServe(redis.url, gh, prefix, SLOTS_GIVEN);
const base = { url: app.url, publicUrl: PUBLIC_URL, signingKey: signing.current, retries: 3 };
let next = 0;
const nextTest = () => pool[next++ % pool.length]!.id;
console.log(
  `one housecat serve, ${app.slots} run slots (${SLOTS_GIVEN ? '--slots' : 'its default'}), ${availableParallelism()} cores; load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

/** Offers `perMinute` deliveries evenly for `ms`; resolves with the sender when all are sent. */
async function offer(load: ReturnType<typeof qstashLoad>, perMinute: number, ms: number) {
  const gap = 60_000 / perMinute;
  const start = Date.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i * gap < ms; i++) {
    await sleep(start + i * gap - Date.now());
    pending.push(load.deliver(nextTest()));
  }
  return pending;
}
const finishedBetween = (load: ReturnType<typeof qstashLoad>, from: number, to: number) =>
  load.records.filter((r) => r.doneAt !== null && r.doneAt >= from && r.doneAt < to).length;

// Warm-up: Chromium starts on the first run.
const warm = qstashLoad({ ...base, parallelism: app.slots });
for (let i = 0; i < 4; i++) await warm.deliver(nextTest());

// 1. Peak at rising rates.
const steady = qstashLoad({ ...base, parallelism: app.slots });
let peak = 0;
const all: Promise<unknown>[] = [];
for (const rate of SHORT ? RATES.filter((_, i) => i % 2 === 0) : RATES) {
  const from = Date.now();
  all.push(...(await offer(steady, rate, STEP_MS)));
  const to = Date.now();
  const finished = (finishedBetween(steady, from, to) * 60_000) / (to - from);
  peak = Math.max(peak, finished);
  console.log(`   offered ${rate}/min for ${STEP_MS / 1000} s: finished ${finished.toFixed(0)}/min`);
  if (finished < 0.9 * rate) break;
}
await Promise.all(all);
console.log(`peak: ${peak.toFixed(0)} checks runs a minute`);

// 2. Past capacity: 1.5× the peak.
const over = qstashLoad({ ...base, parallelism: app.slots * 2 });
const overFrom = Date.now();
const overSent = await offer(over, peak * 1.5, OVERLOAD_MS);
const overTo = Date.now();
const overFinished = (finishedBetween(over, overFrom, overTo) * 60_000) / (overTo - overFrom);
await Promise.all(overSent);
const refusals = over.records.reduce((n, r) => n + r.statuses.filter((s) => s === 429).length, 0);
const dlq = over.records.filter((r) => r.acceptedAt === null).length;
const answers = new Map<number, number>();
for (const r of over.records) for (const st of r.statuses) answers.set(st, (answers.get(st) ?? 0) + 1);
console.log(
  `1.5× the peak (${(peak * 1.5).toFixed(0)}/min) for ${OVERLOAD_MS / 1000} s: finished ${overFinished.toFixed(0)}/min = ${((100 * overFinished) / peak).toFixed(0)}% of the peak; ${refusals} answers 429, ${dlq} of ${over.records.length} messages out of retries (DLQ); answers ${JSON.stringify(Object.fromEntries(answers))}`,
);

// 3. 500 tests on H/5, each delivered at its next tick.
const spreadLoad = qstashLoad({ ...base, parallelism: app.slots });
const start = Math.ceil((Date.now() + 1_000) / 60_000) * 60_000;
const windowMs = SHORT ? 60_000 : 5 * 60_000;
const due = spread
  .map((t) => ({ id: t.id, tick: nextDue(t.schedule ?? '', start - 1, dueOffsetMs(t)) ?? Infinity }))
  .filter((d) => d.tick < start + windowMs)
  .sort((a, b) => a.tick - b.tick);
const spreadSent: Promise<unknown>[] = [];
for (const d of due) {
  await sleep(d.tick - Date.now());
  spreadSent.push(spreadLoad.deliver(d.id, d.tick));
}
await Promise.all(spreadSent);
/** The most of `due` falling in one window of `ms` (a minute: what H spreads; a second: its second). */
function mostAtOnce(items: { tick: number }[], ms: number): number {
  const counts = new Map<number, number>();
  for (const { tick } of items)
    counts.set(Math.floor(tick / ms), (counts.get(Math.floor(tick / ms)) ?? 0) + 1);
  return Math.max(...counts.values());
}
const lateness = spreadLoad.records.map((r) => (r.acceptedAt ?? Infinity) - r.dueAt);
const recorded: number[] = [];
for (const d of due) {
  const [run] = await store.getResults(d.id, { limit: 1 });
  if (typeof run?.latenessMs === 'number') recorded.push(run.latenessMs);
}
console.log(
  `${due.length} of ${H_TESTS} tests on H/5 due in ${windowMs / 60_000} min (most in one minute: ${mostAtOnce(due, 60_000)}, in one second: ${mostAtOnce(due, 1_000)}): p95 lateness ${(percentile(lateness, 95) / 1000).toFixed(1)} s (p50 ${(percentile(lateness, 50) / 1000).toFixed(1)} s, worst ${(Math.max(...lateness) / 1000).toFixed(1)} s); the app recorded p95 ${(percentile(recorded, 95) / 1000).toFixed(1)} s over ${recorded.length} runs`,
);

// Nothing lost: every accepted delivery is a recorded run.
const accepted = [...warm.records, ...steady.records, ...over.records, ...spreadLoad.records].filter(
  (r) => r.acceptedAt !== null,
).length;
let stored = 0;
for (const t of [...pool, ...spread]) stored += (await store.getResults(t.id, { limit: 1000 })).length;
console.log(
  `runs recorded in Redis: ${stored} for ${accepted} accepted deliveries${stored === accepted ? '' : ' — MISMATCH'}; load average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

app.child.kill('SIGTERM');
await new Promise((r) => (app.child.exitCode === null ? app.child.on('exit', r) : r(null)));
await store.close();
await apps.close();
await gh.close();
await redis.stop();
