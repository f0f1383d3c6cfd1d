/**
 * A restart in the middle of a failure storm. The app runs as a process of its own
 * (tests/support/bot-process.ts) and is SIGKILLed while most of the 100 issues are still queued
 * behind the content limit; a new process on the same Redis finishes the pending GitHub work in its
 * start-up sweep. Then the same with the recovery storm (100 results summaries and closes): exactly
 * one issue per test, one summary comment per issue, every issue closed.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { incidentMarker } from '../../src/core/incidents/render.js';
import { spawnBotProcess } from '../support/bot-process-child.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { makeTest } from '../support/test-definitions.js';
import { busiestWindow, deliverScheduled, type Harness, PUBLIC_URL, startHarness } from './harness.js';

const LIMIT = { max: 10, windowMs: 1000 };
const STORM = 100;

describe('a restart during a failure storm', () => {
  let gh: GitHubServer;
  let h: Harness;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    gh = await startGitHubServer({ installations: [{ id: 11, repos: ['acme/shop'] }], contentLimit: LIMIT });
    h = await startHarness({ gh, maxRunMs: 10_000 });
  });
  afterEach(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  afterAll(async () => {
    await h?.close();
    await gh?.close();
  });

  /** Starts the app as its own process on the harness's Redis prefix; resolves with its URL. */
  async function startBot(status: 'passed' | 'failed'): Promise<{ url: string; child: ChildProcess }> {
    const bot = spawnBotProcess({ ...h, gh }, PUBLIC_URL, {
      BOT_AGENT_STATUS: status,
      BOT_CONTENT_MAX: String(LIMIT.max - 1),
      BOT_CONTENT_WINDOW_MS: String(LIMIT.windowMs),
      BOT_INCIDENT_WAIT_MS: '500',
    });
    children.push(bot.child);
    return { url: await bot.url, child: bot.child };
  }

  /** Delivers every test once, at the same time; kills the app once `killWhen` holds. */
  async function stormThenKill(status: 'passed' | 'failed', ids: string[], killWhen: () => boolean) {
    const { url, child } = await startBot(status);
    const messages = new Map(ids.map((id) => [id, `msg_${randomUUID()}`]));
    const answers = Promise.all(
      ids.map((id) =>
        deliverScheduled(url, h.signing.current, id, { messageId: messages.get(id) as string }).catch(
          (error: unknown) => error as Error,
        ),
      ),
    );
    for (let i = 0; i < 600 && !killWhen(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(killWhen(), 'the storm ended before the kill').toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // QStash retries whatever was not answered 200; the new process takes those.
    const unanswered = (await answers).flatMap((a, i) =>
      a instanceof Error || a.status !== 200 ? [ids[i] as string] : [],
    );
    return { unanswered, messages };
  }

  async function restartAndRedeliver(
    status: 'passed' | 'failed',
    unanswered: string[],
    messages: Map<string, string>,
  ) {
    const { url } = await startBot(status);
    await Promise.all(
      unanswered.map(async (id) => {
        for (let retried = 1; retried < 200; retried++) {
          const a = await deliverScheduled(url, h.signing.current, id, {
            messageId: messages.get(id) as string,
            retried,
          });
          if (a.status !== 429) return;
          await new Promise((r) => setTimeout(r, 500));
        }
      }),
    );
  }

  async function until(done: () => boolean, withinMs: number) {
    const started = Date.now();
    while (!done() && Date.now() - started < withinMs) await new Promise((r) => setTimeout(r, 200));
  }

  it('finishes the pending issues after a kill -9 mid-storm, exactly one per test, then one summary each', async () => {
    const tests = Array.from({ length: STORM }, (_, i) => makeTest(`restart-${i}`, { failureThreshold: 1 }));
    for (const test of tests) await h.addTest(test);
    const ids = tests.map((t) => t.id);
    const issues = () => gh.issuesOf('acme/shop');

    // 1. The failure storm, killed once a quarter of the issues exist.
    const failing = await stormThenKill('failed', ids, () => issues().length >= 25);
    const atKill = issues().length;
    expect(atKill, 'the kill landed after the storm was over').toBeLessThan(STORM);
    await restartAndRedeliver('failed', failing.unanswered, failing.messages);
    await until(() => issues().length >= STORM && issues().length > atKill, 120_000);
    expect(issues()).toHaveLength(STORM);
    const markers = issues().map((i) => i.body?.split('\n')[0]);
    expect(markers.sort()).toEqual(ids.map(incidentMarker).sort());
    for (const id of ids) {
      expect((await h.store.getIncident(id))?.issueNumber, id).toBeDefined();
    }

    // 2. The recovery storm (a summary comment and a close per issue), killed a quarter of the way.
    const comments = () => gh.state.comments.length;
    const recovering = await stormThenKill('passed', ids, () => comments() >= 25);
    await restartAndRedeliver('passed', recovering.unanswered, recovering.messages);
    await until(() => issues().every((i) => i.state === 'closed') && comments() >= STORM, 120_000);
    for (const issue of issues()) {
      const summaries = gh.commentsOf('acme/shop', issue.number);
      expect(summaries, `comments on #${issue.number}`).toHaveLength(1);
      expect(summaries[0]?.body).toContain('Recovered');
      expect(issue.state, `#${issue.number}`).toBe('closed');
    }
    expect(issues()).toHaveLength(STORM);
    expect(gh.requests.filter((r) => r.status === 403)).toHaveLength(0);
    expect(busiestWindow(gh, LIMIT.windowMs)).toBeLessThanOrEqual(LIMIT.max);
    expect(
      (await h.keys()).filter((k) => k === `${h.prefix}outbox` || k.startsWith(`${h.prefix}outbox:`)),
    ).toEqual([]);
  }, 600_000);
});
