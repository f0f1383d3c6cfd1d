/**
 * The watchdog's own cost for 1,000 scheduled tests: one `SMEMBERS` and one pipeline (hash, five
 * newest results and incident per test), then the pure overdue rules. Measured through both store
 * adapters on a private redis-server, with every test on time (no incident to open), counting the
 * HTTP requests the Upstash REST adapter makes.
 *
 *   npm run bench watchdog
 */
import { createTcpStore, createUpstashStore, type RedisStore } from '../src/adapters/store/index.js';
import { runWatchdog } from '../src/app/watchdog.js';
import type { RunResult } from '../src/core/types.js';
import { startRedisServer } from '../tests/support/redis-server.js';
import { makeTest } from '../tests/support/test-definitions.js';
import { startUpstashBridge } from '../tests/support/upstash-bridge.js';
import { onTimeWatchdogDeps } from '../tests/support/watchdog-deps.js';

const TESTS = 1000;
const ROUNDS = 10;

async function seed(store: RedisStore, now: number): Promise<void> {
  const tests = Array.from({ length: TESTS }, (_, i) => makeTest(`page-${i}`, { schedule: '*/5 * * * *' }));
  await store.applySync('acme/shop', {
    upsert: tests.map((definition) => ({ definition, contentHash: 'h', updatedAt: now - 86_400_000 })),
    remove: [],
  });
  for (const [i, test] of tests.entries()) {
    for (let k = 0; k < 3; k++) {
      const run: RunResult = {
        runId: `${i}-${k}`,
        testId: test.id,
        status: 'passed',
        reason: 'ok',
        agent: 'checks',
        startedAt: now - k * 300_000 - 60_000,
        durationMs: 900,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
        source: { kind: 'schedule' },
      };
      await store.recordRun(run, []);
    }
  }
}

const server = await startRedisServer();
const bridge = await startUpstashBridge({ redisUrl: server.url });
try {
  const now = Date.now();
  for (const [name, make] of [
    ['Redis (TCP)', (p: string) => createTcpStore({ url: server.url, prefix: p })],
    [
      'Upstash REST (bridge)',
      (p: string) => createUpstashStore({ url: bridge.url, token: bridge.token, prefix: p }),
    ],
  ] as const) {
    const prefix = `bench-watchdog-${name.length}:`;
    const store = make(prefix);
    await seed(store, now);
    const deps = onTimeWatchdogDeps(store, now);
    await runWatchdog(deps); // warm-up
    const times: number[] = [];
    const before = bridge.count();
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      const report = await runWatchdog(deps);
      times.push(performance.now() - t);
      if ('busy' in report || report.scheduled !== TESTS || report.missed.length > 0) {
        throw new Error(`unexpected watchdog report: ${JSON.stringify(report).slice(0, 300)}`);
      }
    }
    const requests = (bridge.count() - before) / ROUNDS;
    times.sort((a, b) => a - b);
    console.log(
      `${name}: ${TESTS} tests, median ${times[Math.floor(ROUNDS / 2)]?.toFixed(1)} ms, worst ${times[ROUNDS - 1]?.toFixed(1)} ms` +
        (name.startsWith('Upstash') ? `, ${requests} HTTP requests per watchdog call` : '') +
        ` (Redis commands per call: 1 SMEMBERS + ${3 * TESTS} in one pipeline + lock claim/release)`,
    );
    await store.close();
  }
} finally {
  await bridge.close();
  await server.stop();
}
