/**
 * Alerts end to end: the app over real HTTP, real Redis, QStash-signed deliveries, and the Slack,
 * Discord and Standard Webhooks stand-ins as the channels. One incident that opens and resolves
 * must reach each routed channel exactly once per event — with every delivery sent twice, with a
 * channel answering 429 Retry-After: 2 twice, and (alerts-crash.test.ts) with the app killed between
 * the decision and the send — and a storm of 50 incidents must reach a rate-limited Slack, all of
 * them, none twice. Slack allows about one message a second; the stand-in allows 5, which still
 * answers most of the storm with 429 Retry-After: 1 (the sender cannot know the limit, only honour
 * the 429s) and lets the storm drain in about 10 s instead of 50.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelSpec, readChannels } from '../../src/core/notify/channels.js';
import type { TestDefinition } from '../../src/core/types.js';
import type { AlertStandIn } from '../support/alert-stand-in.js';
import { alertOf, outboxEmpty, taken } from '../support/alerts-received.js';
import { DISCORD_PATH, startDiscordServer } from '../support/discord-server.js';
import { SLACK_PATH, startSlackServer } from '../support/slack-server.js';
import { makeTest } from '../support/test-definitions.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

const SECRET = `whsec_${Buffer.from('alerts-e2e-signing-secret-32byte').toString('base64')}`;

describe('alerts of an incident, end to end', () => {
  let h: Harness;
  let slack: AlertStandIn;
  let discord: AlertStandIn;
  let storm: AlertStandIn;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    [slack, discord, storm, hook] = await Promise.all([
      startSlackServer(),
      startDiscordServer(),
      startSlackServer({ perSecond: 5 }),
      startWebhookReceiver(SECRET),
    ]);
    const { channels, problems } = readChannels({
      HOUSECAT_NOTIFY_OPS: `slack+${slack.url}${SLACK_PATH}`,
      HOUSECAT_NOTIFY_TEAM: `discord+${discord.url}${DISCORD_PATH}`,
      HOUSECAT_NOTIFY_STORM: `slack+${storm.url}${SLACK_PATH}`,
      HOUSECAT_NOTIFY_HOOK: `webhook+${hook.url}/housecat`,
      HOUSECAT_NOTIFY_HOOK_SECRET: SECRET,
    });
    expect(problems).toEqual([]);
    h = await startHarness({ channels: channels as ChannelSpec[], incidentWaitMs: 5000 });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([slack, discord, storm, hook].map((s) => s?.close()));
  });

  /** Delivers one scheduled run, then the same message again as QStash's retry (it re-decides). */
  async function deliverTwice(test: TestDefinition) {
    const messageId = `msg_${randomUUID()}`;
    const first = await deliverScheduled(h.url, h.signing.current, test.id, { messageId });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const again = await deliverScheduled(h.url, h.signing.current, test.id, { messageId, retried: 1 });
    expect(again.status, JSON.stringify(again.json)).toBe(200);
  }

  function routed(slug: string, notify: string[]): TestDefinition {
    return makeTest(`${slug}-${randomUUID().slice(0, 6)}`, {
      failureThreshold: 1,
      schedule: '*/5 * * * *',
      notify,
      notifyOn: ['opened', 'resolved'],
    });
  }

  it('sends one "opened" and one "resolved" to each of two channels, with every delivery sent twice', async () => {
    const test = routed('twice', ['ops', 'team']);
    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'failed', reason: 'text "Welcome" not found' });
    await deliverTwice(test);
    await deliverTwice(test);
    await slack.until(() => taken(slack, test).opened === 1, 'the opened alert on Slack');
    await discord.until(() => taken(discord, test).opened === 1, 'the opened alert on Discord');
    h.agent.verdict.set(test.id, { status: 'passed' });
    await deliverTwice(test);
    await deliverTwice(test);
    await slack.until(() => taken(slack, test).resolved === 1, 'the resolved alert on Slack');
    await discord.until(() => taken(discord, test).resolved === 1, 'the resolved alert on Discord');
    await outboxEmpty(h);
    expect(taken(slack, test)).toEqual({ opened: 1, resolved: 1 });
    expect(taken(discord, test)).toEqual({ opened: 1, resolved: 1 });
    // The resolved message carries the recovery summary and links the issue the incident got.
    const resolved = slack
      .accepted()
      .find((r) => alertOf(r)?.testName === test.name && alertOf(r)?.event === 'resolved');
    expect(resolved?.body).toContain('Downtime');
    expect(resolved?.body).toMatch(/\/acme\/shop\/issues\/\d+"/);
  });

  it('honours a 429 Retry-After: 2, twice, and still sends each alert once', async () => {
    const test = routed('limited', ['ops', 'team']);
    await h.addTest(test);
    const before = slack.received.length;
    slack.trouble({ kind: 'rate-limit', retryAfterS: 2 }, { kind: 'rate-limit', retryAfterS: 2 });
    h.agent.verdict.set(test.id, { status: 'failed' });
    await deliverTwice(test);
    await slack.until(() => taken(slack, test).opened === 1, 'the opened alert after two 429s', 30_000);
    const attempts = slack.received.slice(before);
    expect(attempts.map((r) => r.status)).toEqual([429, 429, 200]);
    // Each attempt came no sooner than Slack asked.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2000);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2000);
    h.agent.verdict.set(test.id, { status: 'passed' });
    await deliverTwice(test);
    await slack.until(() => taken(slack, test).resolved === 1, 'the resolved alert');
    await discord.until(() => taken(discord, test).resolved === 1, 'the resolved alert on Discord');
    await outboxEmpty(h);
    expect(taken(slack, test)).toEqual({ opened: 1, resolved: 1 });
    expect(taken(discord, test)).toEqual({ opened: 1, resolved: 1 });
  });

  it("signs the generic webhook so standardwebhooks' Webhook.verify accepts it", async () => {
    const test = routed('signed', ['hook']);
    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'failed' });
    await deliverTwice(test);
    await hook.until(() => hook.verified.length === 1, 'a verified webhook');
    expect(hook.received.every((r) => r.status === 204)).toBe(true);
    expect(hook.verified[0]).toMatchObject({
      type: 'incident.opened',
      data: { testId: test.id, repo: 'acme/shop' },
    });
    expect(hook.received[0]!.headers['webhook-id']).toContain(`hook:${test.id}:`);
  });

  it('delivers a storm of 50 incidents to a Slack allowing 5 messages a second: all arrive, none twice', async () => {
    const tests = Array.from({ length: 50 }, (_, i) => routed(`storm-${i}`, ['storm']));
    for (const t of tests) {
      await h.addTest(t);
      h.agent.verdict.set(t.id, { status: 'failed' });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < tests.length) {
          const t = tests[next++] as TestDefinition;
          const answer = await deliverScheduled(h.url, h.signing.current, t.id);
          expect(answer.status, JSON.stringify(answer.json)).toBe(200);
        }
      }),
    );
    await storm.until(() => storm.accepted().length >= 50, 'all 50 alerts', 240_000);
    await outboxEmpty(h, 30_000);
    const names = storm.accepted().map((r) => alertOf(r)?.testName);
    expect(names).toHaveLength(50);
    expect(new Set(names)).toEqual(new Set(tests.map((t) => t.name)));
    // The limit was hit (the stand-in answered 429s) and every refused alert came back and went out.
    expect(storm.received.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(storm.received.filter((r) => r.accepted)).toHaveLength(50);
  }, 300_000);
});
