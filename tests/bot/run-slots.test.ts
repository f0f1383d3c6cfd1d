/**
 * Past capacity a delivery is refused at once, with a Retry-After that reflects the real queue: the
 * deliveries refused and not yet run, times the recent mean run time, over the slots. Before, every
 * refusal said 30 s, so a burst came back together to be refused again (issue 25).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunSlots, FIRST_RUN_ESTIMATE_MS, MAX_RETRY_AFTER_MS } from '../../src/bot/run-slots.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

describe('run slots', () => {
  it('gives each refused delivery its place in the queue: Retry-After grows with the queue', () => {
    let now = 0;
    const slots = createRunSlots(2, () => now);
    const running = [slots.tryAcquire('a'), slots.tryAcquire('b')];
    // Two runs of 6 s finish: the mean run time is now 6 s.
    now = 6_000;
    for (const release of running) release?.();
    const again = [slots.tryAcquire('c'), slots.tryAcquire('d')];
    expect(again.every((r) => r !== null)).toBe(true);
    const waits = ['w1', 'w2', 'w3', 'w4', 'w5'].map((w) => {
      expect(slots.tryAcquire(w)).toBeNull();
      return slots.retryAfterMs(w);
    });
    // place × 6 s / 2 slots.
    expect(waits).toEqual([3_000, 6_000, 9_000, 12_000, 15_000]);
    expect(slots.queued).toBe(5);
    // A retry keeps its place, and one that runs leaves the queue: the ones behind it move up.
    expect(slots.tryAcquire('w2')).toBeNull();
    expect(slots.retryAfterMs('w2')).toBe(6_000);
    now = 12_000;
    again[0]?.();
    expect(slots.tryAcquire('w1')).not.toBeNull();
    expect(slots.retryAfterMs('w2')).toBe(3_000);
    expect(slots.queued).toBe(4);
  });

  it('bounds the wait, assumes a first run time before any run, and forgets a delivery that never came back', () => {
    let now = 0;
    const slots = createRunSlots(1, () => now);
    expect(slots.tryAcquire('a')).not.toBeNull();
    expect(slots.tryAcquire('b')).toBeNull();
    expect(slots.retryAfterMs('b')).toBe(FIRST_RUN_ESTIMATE_MS);
    for (let i = 0; i < 200; i++) slots.tryAcquire(`q${i}`);
    expect(slots.retryAfterMs('q199')).toBe(MAX_RETRY_AFTER_MS);
    now += 2 * MAX_RETRY_AFTER_MS;
    expect(slots.queued).toBe(0);
  });
});

describe('busy answers over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ maxParallelRuns: 1 });
  });
  afterAll(async () => h?.close());

  it('answers 429 with a Retry-After that grows with the queue, and QStash’s retry runs the test', async () => {
    const slow = makeTest('slow-one', { agent: 'checks', expect: { status: 200 } });
    await h.addTest(slow);
    h.agent.verdict.set(slow.id, { status: 'passed', delayMs: 1_500 });
    const waiting = Array.from({ length: 4 }, (_, i) =>
      makeTest(`queued-${i}`, { agent: 'checks', expect: { status: 200 } }),
    );
    for (const t of waiting) await h.addTest(t);
    const running = deliverScheduled(h.url, h.signing.current, slow.id);
    while (h.agent.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    const messages = waiting.map(() => `msg_${randomUUID()}`);
    const refused = [];
    for (const [i, t] of waiting.entries())
      refused.push(await deliverScheduled(h.url, h.signing.current, t.id, { messageId: messages[i] ?? '' }));
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    const seconds = refused.map((r) => Number(r.retryAfter));
    // Before any run finished: place × 10 s (the first estimate) / 1 slot.
    expect(seconds).toEqual([10, 20, 30, 40]);
    expect(String(refused[3]?.json.error)).toContain('4 waiting');
    expect((await running).status).toBe(200);
    // QStash's retry of the first refused message runs it, and leaves the queue.
    const retry = await deliverScheduled(h.url, h.signing.current, waiting[0]?.id ?? '', {
      messageId: messages[0] ?? '',
      retried: 1,
    });
    expect(retry.status).toBe(200);
    expect(retry.json.status).toBe('passed');
  });
});
