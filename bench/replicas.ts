/**
 * Replicas: throughput of 1 against 3 `housecat serve` processes (the real CLI, run from source
 * with tsx, each with its own Chromium) sharing one Redis, with the `checks` agent against a local
 * page. N tests, one signed delivery each, spread round-robin over the replicas the way a load
 * balancer in front of one URL would. The client keeps at most `parallel × replicas` deliveries in
 * flight (what QStash flow control does with that parallelism) and resends a 429 (every run slot
 * busy) after 100 ms, as QStash would retry it.
 *
 * Measures: deliveries per second, from the first send until every delivery was answered 200 and
 * every run is recorded in `results:{id}`; the 429s resent. Each setup runs on a fresh key prefix.
 * Run: npm run bench replicas [N]   (default 60)
 */
import { randomUUID } from 'node:crypto';
import { createStore } from '../src/adapters/store/index.js';
import { startFixtureApps } from '../tests/support/fixture-apps.js';
import { startGitHubServer } from '../tests/support/github-server.js';
import { signQStashRequest } from '../tests/support/qstash-server.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { loginChecksTest } from './_checks-test.js';
import { PUBLIC_URL, signing, startServe } from './_serve.js';

const N = Number(process.argv[2] ?? 60);
/** Runs at once per replica (HOUSECAT_MAX_PARALLEL_RUNS), the same in both setups. */
const PARALLEL = 4;

const redis = await startRedisServer();
const gh = await startGitHubServer({ installations: [{ id: 1, repos: ['acme/shop'] }] });
const apps = await startFixtureApps();

const definition = (i: number) => loginChecksTest(`replica-${i}`, apps.url);

async function setup(replicas: number): Promise<{ perSecond: number; seconds: number; resent: number }> {
  const prefix = `bench-replicas-${replicas}-${randomUUID().slice(0, 8)}:`;
  const store = createStore({ REDIS_URL: redis.url }, { prefix })!;
  const tests = Array.from({ length: N }, (_, i) => definition(i));
  await store.applySync('acme/shop', {
    upsert: tests.map((d) => ({ definition: d, contentHash: 'h', updatedAt: Date.now() })),
    remove: [],
  });
  const servers = await Promise.all(
    Array.from({ length: replicas }, () => startServe(redis.url, gh, prefix, PARALLEL)),
  );
  // One warm-up run per replica, so each one's Chromium is up before the clock starts.
  await Promise.all(servers.map((s, i) => deliver(s.url, tests[i]!.id)));
  let resent = 0;
  async function deliver(url: string, testId: string): Promise<void> {
    const path = `/api/callback/${testId}`;
    const body = JSON.stringify({ testId });
    const messageId = `msg_${randomUUID()}`;
    for (;;) {
      const signature = signQStashRequest({ signingKey: signing.current, url: `${PUBLIC_URL}${path}`, body });
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'upstash-signature': signature, 'upstash-message-id': messageId },
        body,
      });
      await res.text();
      if (res.status === 200) return;
      if (res.status !== 429) throw new Error(`delivery for ${testId} answered ${res.status}`);
      resent++;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The measured deliveries: every test once more (the warm-up tests too, on another replica).
  const queue = tests.map((t, i) => ({ url: servers[i % replicas]!.url, id: t.id }));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL * replicas }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await deliver(next.url, next.id);
    }),
  );
  const warm = new Set(servers.map((_, i) => tests[i]!.id));
  for (const t of tests) {
    const runs = await store.getResults(t.id, { to: Date.now() + 60_000 });
    const expected = warm.has(t.id) ? 2 : 1;
    if (runs.length !== expected)
      throw new Error(`${t.id}: ${runs.length} recorded runs, expected ${expected}`);
    if (runs[0]?.status !== 'passed') throw new Error(`${t.id}: ${runs[0]?.status}: ${runs[0]?.reason}`);
  }
  const seconds = (performance.now() - started) / 1000;
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(
    servers.map((s) => new Promise((r) => (s.child.exitCode === null ? s.child.on('exit', r) : r(null)))),
  );
  await store.close();
  return { perSecond: N / seconds, seconds, resent };
}

console.log(
  `${N} signed deliveries of ${N} checks tests (status + text) against a local page; ${PARALLEL} runs at once per replica`,
);
for (const replicas of [1, 3]) {
  const r = await setup(replicas);
  console.log(
    `   ${replicas} replica(s): ${r.seconds.toFixed(1)} s, ${r.perSecond.toFixed(2)} deliveries/s answered and recorded, ${r.resent} answered 429 and resent`,
  );
}

await apps.close();
await gh.close();
await redis.stop();
