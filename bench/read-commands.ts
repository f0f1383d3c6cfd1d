/**
 * Redis commands the reads cost, over real HTTP against the app on the Upstash REST store: counted
 * at the Upstash bridge, which sees every command as Upstash bills it (EVAL counts as one), and in
 * redis-server's `INFO commandstats` (which also counts the commands a script runs inside Redis).
 * The app's public cache is off, so every request reaches Redis. The outbox drainer's background
 * polls (on `outbox`) are left out of the bridge's count.
 *
 * - the status page with 10 and 100 tests (30 days of 5-minute history): a first view (200) and a
 *   revalidation with its ETag (304). Budget (issue 25): 2 + 1 per 10 tests;
 * - a badge (`status.svg`, `uptime-30d.svg`). Budget: 1;
 * - the live view: commands per second of 1 and of 10 open views of one test while a run writes an
 *   event a second. Budget: 1 a second per process.
 *
 * Run: npm run bench read-commands   (about 1 minute; `--short` shortens the live-view minute)
 */
import { createClient } from 'redis';
import { createUpstashStore } from '../src/adapters/store/index.js';
import { statusStoreOf } from '../src/adapters/store/status-store.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { seedStatusHistory } from '../tests/support/status-history.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';
import { signIn, startReadApp } from './_read-app.js';

const LIVE_MS = process.argv.includes('--short') ? 15_000 : 60_000;
const redis = await startRedisServer();
const bridge = await startUpstashBridge({ redisUrl: redis.url });
const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/small', 'acme/big'] }] });
gh.setPermission('acme/small', 'alice', 'write');
const raw = createClient({ url: redis.url, RESP: 2 });
await raw.connect();
const store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: 'bench-reads:' });
const now = Date.now();
for (const [repo, tests] of [
  ['acme/small', 10],
  ['acme/big', 100],
] as const) {
  await seedStatusHistory(store, redis.url, { repo, tests, days: 30, results: 120, now });
  await statusStoreOf(store).saveStatusSettings(repo, { public: true, showGoals: false });
}

const { url, server } = await startReadApp(gh, store, { publicCacheMs: 0 });

async function redisCalls(): Promise<number> {
  const info = await raw.info('commandstats');
  return [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
    .filter(([, name]) => name !== 'info')
    .reduce((n, [, , calls]) => n + Number(calls), 0);
}

/** Bridge commands and redis-server calls `work` costs. */
async function count(work: () => Promise<unknown>): Promise<{ billed: number; inRedis: number }> {
  const mark = bridge.requests.length;
  const before = await redisCalls();
  await work();
  // The outbox drainer polls in the background: its commands are not the read's.
  const billed = bridge.requests
    .slice(mark)
    .flatMap((r) => r.commands)
    .filter((c) => !String(c[1] ?? '').endsWith(':outbox')).length;
  return { billed, inRedis: (await redisCalls()) - before };
}

const row = (what: string, c: { billed: number; inRedis: number }, budget: number) =>
  console.log(
    `   ${what.padEnd(42)} ${String(c.billed).padStart(4)} commands (budget ${budget})${c.billed > budget ? ' OVER' : ''}   ${c.inRedis} calls inside Redis`,
  );

console.log('reads on the Upstash REST store, counted at the bridge (as billed) and in INFO commandstats:');
for (const [repo, tests] of [
  ['acme/small', 10],
  ['acme/big', 100],
] as const) {
  let etag = '';
  const first = await count(async () => {
    const res = await fetch(`${url}/status/${repo}`);
    etag = res.headers.get('etag') ?? '';
    await res.text();
  });
  row(`status page, ${tests} tests, first view (200)`, first, 2 + Math.ceil(tests / 10));
  const again = await count(async () => {
    const res = await fetch(`${url}/status/${repo}`, { headers: { 'if-none-match': etag } });
    if (res.status !== 304) throw new Error(`expected 304, got ${res.status}`);
  });
  row(`status page, ${tests} tests, revalidated (304)`, again, 2 + Math.ceil(tests / 10));
}
for (const kind of ['status', 'uptime-30d']) {
  const badge = await count(() => fetch(`${url}/badge/acme/big/page-007/${kind}.svg`).then((r) => r.text()));
  row(`badge ${kind}.svg`, badge, 1);
}

const cookie = await signIn(gh, url);
const testId = 'acme--small--page-000';
for (const views of [1, 10]) {
  const controllers = Array.from({ length: views }, () => new AbortController());
  const opened = await Promise.all(
    controllers.map((c) =>
      fetch(`${url}/r/acme/small/page-000/events`, { headers: { cookie }, signal: c.signal }),
    ),
  );
  await new Promise((r) => setTimeout(r, 1_000));
  const mark = bridge.requests.length;
  const started = Date.now();
  let appended = 0;
  while (Date.now() - started < LIVE_MS) {
    await store.appendEvents(testId, 'bench-run', [
      { type: 'step', message: `step ${appended++}`, at: Date.now() },
    ]);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const seconds = (Date.now() - started) / 1000;
  const reads = bridge.requests
    .slice(mark)
    .flatMap((r) => r.commands)
    .filter((c) => ['XRANGE', 'XREVRANGE', 'XREAD'].includes(String(c[0]).toUpperCase())).length;
  for (const c of controllers) c.abort();
  await Promise.allSettled(opened.map((r) => r.body?.cancel()));
  console.log(
    `   live view, ${String(views).padStart(2)} open of one test, ${seconds.toFixed(0)} s with an event a second: ${(reads / seconds).toFixed(2)} commands a second (budget 1)`,
  );
}

await server.close();
await store.close();
await raw.quit();
await bridge.close();
await gh.close();
await redis.stop();
