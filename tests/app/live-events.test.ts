/**
 * A run's events reach `events:{id}` while the run goes (the live view), and none is lost when
 * those writes fail: they go in with the result instead.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore } from '../../src/adapters/store/index.js';
import { runTestNow } from '../../src/app/run-now.js';
import type { IssueTracker } from '../../src/core/incidents/tracker.js';
import { systemClock } from '../../src/core/ports.js';
import { pacedAgent, shopTest } from '../bot/dashboard/harness.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const quiet = { info() {}, warn() {}, error() {} };

let bridge: UpstashBridge;
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => bridge.close());

function deps() {
  const store = createUpstashStore({
    url: bridge.url,
    token: bridge.token,
    prefix: uniquePrefix('live'),
    retries: 0,
  });
  const agent = pacedAgent();
  agent.stepMs = 150;
  // Passing runs open no incident: the tracker must not be called.
  const unused = (): never => {
    throw new Error('the incident tracker is not expected to be called for a passing run');
  };
  const tracker = {
    ensureIncidentIssue: unused,
    findIncidentIssue: unused,
    getIssue: unused,
    comment: unused,
    close: unused,
  } as IssueTracker;
  return {
    store,
    agent,
    deps: {
      store,
      agent,
      clock: systemClock,
      logger: quiet,
      maxRunMs: 60_000,
      incident: { store, tracker, clock: systemClock },
    },
  };
}

describe('live events of a run', () => {
  it('writes each step to events:{id} before the run ends', async () => {
    const { store, deps: d } = deps();
    const test = shopTest(`live-${randomUUID().slice(0, 6)}`, 'Live');
    const running = runTestNow(d, test, { kind: 'manual' });
    // Step 1 is in the stream while the agent is still on step 2.
    await expect
      .poll(async () => (await store.readEvents(test.id)).map((e) => e.message), { timeout: 10_000 })
      .toContain('step 1 of 3');
    expect((await store.getResults(test.id)).length).toBe(0);
    await running;
    const messages = (await store.readEvents(test.id)).map((e) => e.message);
    expect(messages).toEqual(['step 1 of 3', 'step 2 of 3', 'step 3 of 3', 'the cart shows the hat']);
  });

  it('saves the events with the result when writing them live fails', async () => {
    const { store, deps: d } = deps();
    const test = shopTest(`lost-${randomUUID().slice(0, 6)}`, 'Lost');
    const refusals = Array.from({ length: 4 }, () =>
      bridge.failNext({
        match: (cmds) =>
          cmds.every((c) => c[0] === 'XADD' || c[0] === 'PEXPIRE') && cmds.some((c) => c[0] === 'XADD'),
        mode: 'refuse',
      }),
    );
    await runTestNow(d, test, { kind: 'manual' });
    expect(refusals.some((f) => f.fired)).toBe(true);
    const messages = (await store.readEvents(test.id)).map((e) => e.message);
    expect(messages).toEqual(['step 1 of 3', 'step 2 of 3', 'step 3 of 3', 'the cart shows the hat']);
    expect(await store.getResults(test.id)).toHaveLength(1);
  });
});
