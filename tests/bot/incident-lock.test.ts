/**
 * The incident lock (`claim:lock:incident:{id}`) is a lease of the test's timeout, not a 15-minute
 * claim: a process killed while deciding an incident leaves the test's incident frozen for about
 * one run's timeout at most.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

describe('the incident lock', () => {
  let h: Harness;
  const raw = createClient({ url: testRedisUrl() });

  beforeAll(async () => {
    h = await startHarness({ maxRunMs: 10_000, incidentWaitMs: 5000 });
    await raw.connect();
  });
  afterAll(async () => {
    await raw.quit();
    await h.close();
  });

  it('expires within the test timeout while an incident decision holds it', async () => {
    const test = makeTest('lock-lease', { timeout: 3, failureThreshold: 1 });
    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'failed' });
    expect((await deliverScheduled(h.url, h.signing.current, test.id)).status).toBe(200);
    expect((await h.store.getIncident(test.id))?.issueNumber).toBeDefined();
    // The next decision reads the issue from GitHub while it holds the lock: make that read slow.
    h.gh.failNext('GET /repos/{owner}/{repo}/issues/{issue_number}', { apply: true, delayMs: 2000 });
    const deciding = deliverScheduled(h.url, h.signing.current, test.id);
    const key = `${h.prefix}claim:lock:incident:${test.id}`;
    let ttl = -2;
    for (let i = 0; i < 150 && ttl < 0; i++) {
      ttl = await raw.pTTL(key);
      if (ttl < 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(ttl, 'the lock was never seen held').toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(test.timeout * 1000);
    expect((await deciding).status).toBe(200);
  });
});
