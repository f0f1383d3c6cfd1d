/**
 * Three app processes on one Redis behind one URL, as replicas run: 100 signed deliveries at once
 * (10 failing tests, 10 messages each), spread round-robin over the three. The GitHub content
 * limit is shared through Redis (scaled down here to 3 writes per 5 s): the GitHub stand-in sees
 * exactly one issue per test and never more writes in any 5 s than the limit, counted across all
 * three processes; every delivery is answered 200 with its run recorded, or with a status QStash
 * retries (429/5xx).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboxEmpty } from '../support/alerts-received.js';
import { spawnBotProcess } from '../support/bot-process-child.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, PUBLIC_URL, startHarness } from './harness.js';

const TESTS = 10;
const PER_TEST = 10;
const LIMIT = 3;
const WINDOW_MS = 5000;

describe('three replicas on one Redis', () => {
  let h: Harness;
  const children: ChildProcess[] = [];
  const urls: string[] = [];

  function startReplica(): Promise<string> {
    const replica = spawnBotProcess(h, PUBLIC_URL, {
      BOT_AGENT_DELAY_MS: '100',
      BOT_AGENT_STATUS: 'failed',
      BOT_CONTENT_MAX: String(LIMIT),
      BOT_CONTENT_WINDOW_MS: String(WINDOW_MS),
    });
    children.push(replica.child);
    return replica.url;
  }

  beforeAll(async () => {
    h = await startHarness();
    // Started together: each spends seconds loading the app's modules, mostly waiting on the disk.
    urls.push(...(await Promise.all([startReplica(), startReplica(), startReplica()])));
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await h?.close();
  });

  it('opens one issue per test, stays under the shared limit, and drops no delivery', async () => {
    const tests = Array.from({ length: TESTS }, (_, i) => makeTest(`replica-${i}`, { failureThreshold: 1 }));
    for (const test of tests) await h.addTest(test);
    const deliveries = tests.flatMap((test) =>
      Array.from({ length: PER_TEST }, () => ({ testId: test.id, messageId: `msg_${randomUUID()}` })),
    );
    const answers = await Promise.all(
      deliveries.map((d, i) =>
        deliverScheduled(urls[i % 3] as string, h.signing.current, d.testId, { messageId: d.messageId }),
      ),
    );
    // Nothing dropped: a 200 carries a recorded run; anything else is a status QStash retries.
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429 || s >= 500)).toBe(true);
    for (const [i, a] of answers.entries()) {
      if (a.status !== 200 || typeof a.json.runId !== 'string') continue;
      const results = await h.store.getResults(deliveries[i]?.testId ?? '');
      expect(results.map((r) => r.runId)).toContain(a.json.runId);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(TESTS);

    // The incident updates go on after the answers; wait for every test's issue.
    await vi.waitFor(() => expect(h.gh.issuesOf('acme/shop')).toHaveLength(TESTS), {
      timeout: 90_000,
      interval: 500,
    });
    // Then until no GitHub work is left in the shared outbox (an entry leaves it only once done), so
    // a duplicate issue or an over-limit write still on its way would be counted below.
    await outboxEmpty(h, 90_000);
    const issues = h.gh.issuesOf('acme/shop');
    expect(issues).toHaveLength(TESTS);
    expect(new Set(issues.map((i) => i.title)).size).toBe(TESTS);

    // Writes in any window of WINDOW_MS, across all three processes, as GitHub counted them.
    const writes = h.gh.requests
      .filter((r) => r.method === 'POST' && r.status < 300 && /\/(issues|comments)$/.test(r.path))
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let most = 0;
    for (const [i, t] of writes.entries())
      most = Math.max(most, writes.filter((u, j) => j >= i && u < t + WINDOW_MS).length);
    expect(writes.length).toBeGreaterThanOrEqual(TESTS);
    expect(most).toBeLessThanOrEqual(LIMIT);
    expect(h.gh.requests.filter((r) => r.status === 403)).toEqual([]);
  }, 180_000);
});
