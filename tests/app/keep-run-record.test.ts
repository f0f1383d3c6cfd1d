/**
 * The run page's record is a separate, best-effort write (issue 29): when it fails (its Redis
 * connection is gone), the run is still recorded and its incident evaluated; the failure is
 * logged with the test and run. When it works, an inconclusive run keeps its views, and the stored
 * result carries none of the binaries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { createRunStore } from '../../src/adapters/store/run-store.js';
import { runTestNow } from '../../src/app/run-now.js';
import type { IssueTracker } from '../../src/core/incidents/tracker.js';
import type { Agent } from '../../src/core/ports.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';

const store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('keep-run') })!;
afterAll(() => store.close());

/** Our Agent port: an inconclusive run with two views and a trace. */
const agent: Agent = {
  run: async (input) => ({
    runId: input.runId,
    testId: input.test.id,
    status: 'error',
    reason: 'the agent used all its steps without reaching a verdict',
    agent: 'claude',
    startedAt: Date.now(),
    durationMs: 10,
    steps: [{ action: 'click', target: 'Buy', outcome: 'nothing happened', ok: false, at: Date.now() }],
    evidence: {
      stepShots: [0, 1].map((step) => ({ step, label: `step ${step}`, at: 1, jpegBase64: '/9j/AAAA' })),
      traceBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==',
    },
    usage: { llmCalls: 3, inputTokens: 10, outputTokens: 5 },
  }),
};
const tracker = {} as IssueTracker;

async function run(runs: ReturnType<typeof createRunStore>, warnings: string[]) {
  const clock = { now: () => Date.now() };
  const logger = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const test = makeTest('buy', { agent: 'claude', goal: 'buy a hat', retries: 0 });
  const outcome = await runTestNow(
    { store, agent, clock, logger, maxRunMs: 10_000, incident: { store, tracker, clock }, runs },
    test,
    { kind: 'schedule' },
  );
  return { outcome, test };
}

describe('keeping the run page record', () => {
  it('records the run even when the record cannot be written, and says so in the log', async () => {
    // A Redis nobody listens on (port 1): every write of the record fails.
    const gone = createStore({ REDIS_URL: 'redis://127.0.0.1:1' }, { timeoutMs: 500 })!;
    const warnings: string[] = [];
    const { outcome, test } = await run(createRunStore(gone), warnings);
    expect(outcome.kind).toBe('ran');
    const [stored] = await store.getResults(test.id, { limit: 1 });
    expect(stored?.status).toBe('error');
    await gone.close();
    expect(warnings.join('\n')).toMatch(
      /run .+: the run page's record was not kept \(.+\); the result itself is recorded/,
    );
  });

  it('keeps the views and trace of an inconclusive run beside it, never in the stored result', async () => {
    const runs = createRunStore(store);
    const { outcome, test } = await run(runs, []);
    if (outcome.kind !== 'ran') throw new Error('expected a run');
    const record = await runs.getRun(test.id, outcome.result.runId);
    expect(record?.shots.map((s) => s.label)).toEqual(['step 0', 'step 1']);
    expect(record?.trace).toBe(true);
    expect(await runs.getShot(test.id, outcome.result.runId, 1)).toBe('/9j/AAAA');
    expect(JSON.stringify(await store.getResults(test.id))).not.toContain('/9j/AAAA');
  });
});
