/**
 * Redis dies (SIGKILL) while a scheduled run is going, and comes back with what it had persisted
 * (append-only file, as a hosted Redis keeps its data). The delivery cannot record its result, so it
 * answers 5xx; the message's `running` state and the test's lock could not be released, so they must
 * lapse on their own within the test's timeout, and QStash's retry of the same message must run it
 * and record exactly one result.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { type RestartableRedisServer, startRedisServer } from '../support/redis-server.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

describe('a scheduled run when Redis is killed mid-run', () => {
  let redis: RestartableRedisServer;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedisServer({ persistent: true });
    h = await startHarness({
      maxRunMs: 10_000,
      incidentWaitMs: 1500,
      // Short enough to notice the killed server fast, long enough for a first connect on a busy machine.
      store: (prefix) => createStore({ REDIS_URL: redis.url }, { prefix, timeoutMs: 2000 })!,
    });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('answers 5xx, then runs the redelivery of the same message and records exactly one result', async () => {
    const test = makeTest(`outage-${randomUUID().slice(0, 8)}`, { timeout: 2 });
    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'passed', delayMs: 800 });
    const messageId = `msg_${randomUUID()}`;

    const first = deliverScheduled(h.url, h.signing.current, test.id, { messageId: messageId, retried: 0 });
    // Kill Redis once the run has started (the agent was called), and bring it back after the run.
    for (let i = 0; i < 100 && !h.agent.calls.some((c) => c.test.id === test.id); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await redis.kill();
    const answered = await first;
    expect(answered.status, JSON.stringify(answered.json)).toBeGreaterThanOrEqual(500);
    await redis.restart();
    expect(await h.store.getResults(test.id), 'nothing was recorded while Redis was down').toEqual([]);

    // QStash retries, honouring Retry-After when told to wait. Within the test's timeout (2 s) plus
    // a second of slack, the state left behind must have lapsed and the retry must have run.
    const restartedAt = Date.now();
    let retry = await deliverScheduled(h.url, h.signing.current, test.id, {
      messageId: messageId,
      retried: 1,
    });
    for (let attempt = 2; retry.status === 429 && Date.now() - restartedAt < 3000; attempt++) {
      expect(retry.retryAfter, 'a 429 without Retry-After').toMatch(/^\d+$/);
      await new Promise((r) => setTimeout(r, 250));
      retry = await deliverScheduled(h.url, h.signing.current, test.id, {
        messageId: messageId,
        retried: attempt,
      });
    }
    expect(retry.status, JSON.stringify(retry.json)).toBe(200);
    expect(retry.json).toMatchObject({ ok: true, testId: test.id, status: 'passed' });
    const results = await h.store.getResults(test.id);
    expect(results.map((r) => r.runId)).toEqual([retry.json.runId]);

    // Another copy of the same message now is a duplicate, and runs nothing.
    const calls = h.agent.calls.length;
    const copy = await deliverScheduled(h.url, h.signing.current, test.id, {
      messageId: messageId,
      retried: 0,
    });
    expect(copy.json).toMatchObject({ ok: true, duplicate: 'message already delivered' });
    expect(h.agent.calls.length).toBe(calls);
    expect(await h.store.getResults(test.id)).toHaveLength(1);
  });
});
