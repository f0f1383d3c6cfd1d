/**
 * The app is killed (SIGKILL) mid-run and another instance takes over on the same Redis (a restart,
 * or a second replica). The dead one never released the message it was running nor the test's lock:
 * both are leases, so they lapse within the test's timeout. QStash's redelivery of that message must
 * then run, and a new message for the test must not be refused as busy for longer than that.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBotProcess } from '../support/bot-process-child.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, PUBLIC_URL, startHarness } from './harness.js';

const TIMEOUT_S = 2;

describe('a scheduled run when the app is killed mid-run', () => {
  let h: Harness;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    h = await startHarness({ maxRunMs: 10_000, incidentWaitMs: 1500 });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
  });

  /** Starts the app as its own process on the harness's Redis prefix; resolves with its URL. */
  function startBotProcess(lines: string[]): Promise<string> {
    const bot = spawnBotProcess(h, PUBLIC_URL, { BOT_AGENT_DELAY_MS: '60000' }, lines);
    child = bot.child;
    return bot.url;
  }

  /**
   * Delivers like QStash: again (Upstash-Retried + 1) after a 429, until an answer or `withinMs`.
   * `lastBusySentAt` is when the last request answered 429 was sent: the lock was still held then
   * (a request is handled after it is sent), whatever the machine's load made the answer wait.
   */
  async function deliverUntilAnswered(testId: string, messageId: string, withinMs: number) {
    const started = Date.now();
    let sentAt = Date.now();
    let lastBusySentAt: number | undefined;
    let answer = await deliverScheduled(h.url, h.signing.current, testId, {
      messageId: messageId,
      retried: 1,
    });
    for (let retried = 2; answer.status === 429 && Date.now() - started < withinMs; retried++) {
      expect(answer.retryAfter, 'a 429 without Retry-After').toMatch(/^\d+$/);
      lastBusySentAt = sentAt;
      await new Promise((r) => setTimeout(r, 100));
      sentAt = Date.now();
      answer = await deliverScheduled(h.url, h.signing.current, testId, {
        messageId: messageId,
        retried: retried,
      });
    }
    return { ...answer, lastBusySentAt };
  }

  it('runs the redelivery, and frees the test within its timeout, after the app is SIGKILLed mid-run', async () => {
    const test = makeTest(`crash-${randomUUID().slice(0, 8)}`, { timeout: TIMEOUT_S });
    await h.addTest(test);
    const lines: string[] = [];
    const crashing = await startBotProcess(lines);
    const lost = `msg_${randomUUID()}`;

    const first = deliverScheduled(crashing, h.signing.current, test.id, {
      messageId: lost,
      retried: 0,
    }).catch((error: unknown) => error);
    for (let i = 0; i < 200 && !lines.includes(`run-started ${test.id}`); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(lines, 'the app process never started the run').toContain(`run-started ${test.id}`);
    child?.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await first, 'the killed app must not have answered').toBeInstanceOf(Error);

    // A new message for the test, on the instance that took over: refused as busy (429) at most
    // until the dead instance's lock lapses, which is within the test's timeout.
    const fresh = await deliverUntilAnswered(test.id, `msg_${randomUUID()}`, TIMEOUT_S * 1000 + 2000);
    // How long after the kill the lock was still seen held (not when the fresh run's answer came:
    // that includes the run itself, which a loaded machine slows).
    const busyForMs = (fresh.lastBusySentAt ?? killedAt) - killedAt;
    expect(fresh.status, JSON.stringify(fresh.json)).toBe(200);
    expect(fresh.json).toMatchObject({ ok: true, status: 'passed' });
    expect(busyForMs, 'the test stayed locked longer than its timeout').toBeLessThanOrEqual(
      TIMEOUT_S * 1000 + 500,
    );

    // QStash's redelivery of the message the dead app was running: it runs and is recorded.
    const redelivered = await deliverUntilAnswered(test.id, lost, TIMEOUT_S * 1000 + 2000);
    expect(redelivered.status, JSON.stringify(redelivered.json)).toBe(200);
    expect(redelivered.json).toMatchObject({ ok: true, status: 'passed' });
    const runIds = (await h.store.getResults(test.id)).map((r) => r.runId).sort();
    expect(runIds).toEqual([fresh.json.runId, redelivered.json.runId].sort());
  });
});
