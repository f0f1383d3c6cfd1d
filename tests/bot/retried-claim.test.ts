/**
 * A claim whose answer is lost on the way back: Redis ran the claim script, the connection broke
 * before the answer arrived, and @upstash/redis sent the same EVAL again. The second run of the
 * script finds the key held by the same owner. That is a success: the delivery must still run, be
 * recorded, and leave no lock behind.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { testRedisUrl } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

describe('a claim resent after its answer was lost', () => {
  let bridge: UpstashBridge;
  let h: Harness;

  beforeAll(async () => {
    bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    h = await startHarness({
      maxRunMs: 1500,
      incidentWaitMs: 1500,
      store: (prefix) =>
        createStore(
          { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token },
          { prefix, retries: 2 },
        )!,
    });
  });
  afterAll(async () => {
    await h?.close();
    await bridge?.close();
  });

  /**
   * The EVAL (`EVAL script numkeys key… arg…`) one of whose keys contains `part`. A scheduled
   * delivery claims the token, the message and the run lock in one script, and records the run with
   * the incident decision in another (issue 25), so each case breaks the script that writes its key.
   */
  const claimOf = (part: string) => (commands: string[][]) => {
    const [c] = commands;
    const keys = c?.slice(3, 3 + Number(c?.[2] ?? 0)) ?? [];
    return commands.length === 1 && c?.[0] === 'EVAL' && keys.some((k) => k.includes(part));
  };

  it.each([
    ['the delivery token', (_id: string) => 'claim:qstash:jti:'],
    ['the message id', (_id: string) => 'claim:qstash:msg:'],
    ["the test's run lock", (id: string) => `claim:lock:test:${id}`],
    ["the test's results (the record, which also releases the locks)", (id: string) => `results:${id}`],
  ])('runs, records and unlocks when the answer to the claim of %s is lost once', async (_what, keyPart) => {
    const test = makeTest(`lost-${randomUUID().slice(0, 8)}`);
    await h.addTest(test);
    const fault = bridge.failNext({ match: claimOf(keyPart(test.id)), mode: 'drop-answer' });

    const res = await deliverScheduled(h.url, h.signing.current, test.id);

    expect(fault.fired, 'the bridge never saw the claim it was told to break').toBe(true);
    const resent = bridge.requests.filter(
      (r) => JSON.stringify(r.commands) === JSON.stringify(fault.request?.commands),
    );
    expect(resent, 'the SDK did not resend the claim after the lost answer').toHaveLength(2);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ ok: true, testId: test.id, status: 'passed', incident: 'none' });
    expect(h.agent.calls.filter((c) => c.test.id === test.id)).toHaveLength(1);
    const results = await h.store.getResults(test.id);
    expect(results.map((r) => r.runId)).toEqual([res.json.runId]);
    const keys = await h.keys();
    expect(
      keys.filter((k) => k.includes(`lock:test:${test.id}`) || k.includes(`lock:incident:${test.id}`)),
    ).toEqual([]);
  });
});
