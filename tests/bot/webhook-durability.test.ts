/**
 * GitHub sends a webhook once, waits 10 s for the answer, and never redelivers it by itself (the
 * GitHub stand-in's `deliverWebhook` does the same). A `/housecat run` must therefore be answered at
 * once and carried out later, exactly once, whatever fails halfway: GitHub answering 5xx to the
 * reply, Redis refusing the first save, or the app SIGKILLed after it accepted the request.
 * Real redis-server (and the Upstash REST bridge in front of it), the app over real HTTP.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { incidentMarker } from '../../src/core/incidents/render.js';
import { spawnBotProcess } from '../support/bot-process-child.js';
import { testRedisUrl } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';
import { webhookPayload } from '../support/webhook-payloads.js';
import { type Harness, PUBLIC_URL, startHarness, WEBHOOK_SECRET } from './harness.js';

const REPO = 'acme/shop';
const REPLY_POST = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

describe('a /housecat run when something fails halfway', () => {
  let h: Harness | undefined;
  let bridge: UpstashBridge | undefined;
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
    await bridge?.close();
    h = bridge = child = undefined;
  });

  /** An incident issue of a new test, and the `/housecat run` comment payload on it by alice. */
  async function setUp(harness: Harness) {
    // A 2 s timeout: the run lock a killed process leaves behind lapses within it.
    const test = makeTest(`webhook-${randomUUID().slice(0, 8)}`, { timeout: 2 });
    await harness.addTest(test);
    harness.gh.setPermission(REPO, 'alice', 'write');
    const issue = harness.gh.seedIssue(REPO, { title: 'failing', body: `${incidentMarker(test.id)}\nbody` });
    const payload = webhookPayload('issue_comment', 'created');
    payload.comment.body = '/housecat run';
    payload.comment.user.login = payload.sender.login = 'alice';
    payload.sender.type = 'User';
    payload.issue.number = issue.number;
    payload.issue.body = issue.body;
    payload.issue.pull_request = undefined;
    payload.repository.full_name = REPO;
    payload.repository.name = 'shop';
    payload.repository.owner.login = 'acme';
    payload.installation = { id: 11, node_id: 'x' };
    return { test, issue, payload };
  }

  const replies = (harness: Harness, number: number) =>
    harness.gh.commentsOf(REPO, number).filter((c) => c.body.includes('Run requested by @alice'));
  const eventually = (check: () => void | Promise<void>, timeout = 20_000) =>
    vi.waitFor(check, { timeout, interval: 50 });

  it('answers before the run, and replies once after GitHub failed the reply with a 502', async () => {
    h = await startHarness();
    const { test, issue, payload } = await setUp(h);
    h.agent.verdict.set(test.id, { status: 'failed', delayMs: 1000 });
    h.gh.failNext(REPLY_POST, { status: 502 });
    const delivery = await h.gh.deliverWebhook(
      `${h.url}/api/github/webhooks`,
      WEBHOOK_SECRET,
      'issue_comment',
      payload,
    );
    // Answered 200 (not Probot's 202 after 9 s) while the run had not recorded anything yet.
    expect(delivery.status).toBe(200);
    expect(await h.store.getResults(test.id, { limit: 10 })).toHaveLength(0);
    await eventually(() => expect(replies(h!, issue.number)).toHaveLength(1));
    expect(h.gh.requests.some((r) => r.route === REPLY_POST && r.status === 502)).toBe(true);
    expect(h.agent.calls.filter((c) => c.test.id === test.id)).toHaveLength(1);
    expect(await h.store.getResults(test.id, { limit: 10 })).toHaveLength(1);
    expect(h.gh.deliveries.filter((d) => d.id === delivery.id)).toHaveLength(1);
  });

  it('saves the request when Redis refused the first attempt, and runs it once', async () => {
    bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    const rest = { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token };
    h = await startHarness({ store: (prefix) => createStore(rest, { prefix })! });
    const { test, issue, payload } = await setUp(h);
    const blip = bridge.failNext({
      match: (commands) => commands.some((c) => c[0]?.toUpperCase() === 'RPUSH'),
      mode: 'refuse',
    });
    const delivery = await h.gh.deliverWebhook(
      `${h.url}/api/github/webhooks`,
      WEBHOOK_SECRET,
      'issue_comment',
      payload,
    );
    expect(blip.fired).toBe(true);
    expect(delivery.status).toBe(200);
    await eventually(() => expect(replies(h!, issue.number)).toHaveLength(1));
    expect(h.agent.calls.filter((c) => c.test.id === test.id)).toHaveLength(1);
  });

  it('runs once when Redis saved the request but its answer was lost (the client sent the save again)', async () => {
    bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    const rest = { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token };
    h = await startHarness({ store: (prefix) => createStore(rest, { prefix })! });
    const { test, issue, payload } = await setUp(h);
    h.agent.verdict.set(test.id, { status: 'failed', delayMs: 300 });
    const lost = bridge.failNext({
      match: (commands) => commands.some((c) => c[0]?.toUpperCase() === 'RPUSH'),
      mode: 'drop-answer',
    });
    const url = `${h.url}/api/github/webhooks`;
    const delivery = await h.gh.deliverWebhook(url, WEBHOOK_SECRET, 'issue_comment', payload);
    expect(lost.fired).toBe(true);
    expect(delivery.status).toBe(200);
    await eventually(async () => {
      expect(replies(h!, issue.number)).toHaveLength(1);
      expect(await h!.store.outbox.pending(test.id)).toEqual([]);
    });
    expect(h.agent.calls.filter((c) => c.test.id === test.id)).toHaveLength(1);
    expect(await h.store.getResults(test.id, { limit: 10 })).toHaveLength(1);
  });

  it('runs and replies once after the app was SIGKILLed right after accepting', async () => {
    h = await startHarness();
    const { test, issue, payload } = await setUp(h);
    const lines: string[] = [];
    const url = await startBotProcess(h, lines);
    const delivery = await h.gh.deliverWebhook(
      `${url}/api/github/webhooks`,
      WEBHOOK_SECRET,
      'issue_comment',
      payload,
    );
    expect(delivery.status).toBe(200);
    await eventually(() => expect(lines).toContain(`run-started ${test.id}`));
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    // The next process (here the harness's app): its start-up sweep, then its timer, drain the
    // queue once the dead drainer's lease has lapsed.
    await h.app.outbox.drainAll();
    await eventually(async () => {
      await h!.app.outbox.drainAll();
      expect(replies(h!, issue.number)).toHaveLength(1);
    }, 60_000);
    expect(h.gh.commentsOf(REPO, issue.number)).toHaveLength(1);
    expect(h.agent.calls.filter((c) => c.test.id === test.id)).toHaveLength(1);
    expect(await h.store.getResults(test.id, { limit: 10 })).toHaveLength(1);
    expect(await h.store.outbox.pending(test.id)).toEqual([]);
  }, 90_000);

  /** The app as its own process on the harness's Redis prefix; resolves with its URL. */
  function startBotProcess(harness: Harness, lines: string[]): Promise<string> {
    // A 3 s outbox lease (default 15 s): the queue a SIGKILL leaves held is free again within it.
    const env = {
      BOT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BOT_AGENT_DELAY_MS: '120000',
      BOT_OUTBOX_LEASE_MS: '3000',
    };
    const bot = spawnBotProcess(harness, PUBLIC_URL, env, lines);
    child = bot.child;
    return bot.url;
  }
});
