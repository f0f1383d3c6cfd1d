/**
 * Each alert kind against its platform's stand-in: the message is one the platform takes (Slack's
 * Block Kit rules, Discord's embed limits, an Adaptive Card, a Standard Webhooks signature that
 * `standardwebhooks` verifies, an email over real SMTP), and each failure the platform can answer
 * becomes the error the outbox needs (retry or not, and when).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, sendOver } from '../../../src/adapters/notify/index.js';
import { ServiceError } from '../../../src/core/errors.js';
import { type ChannelSpec, readChannels } from '../../../src/core/notify/channels.js';
import type { AlertMessage } from '../../../src/core/notify/message.js';
import type { AlertStandIn } from '../../support/alert-stand-in.js';
import { DISCORD_PATH, discordPayloadProblem, startDiscordServer } from '../../support/discord-server.js';
import { SLACK_PATH, slackPayloadProblem, startSlackServer } from '../../support/slack-server.js';
import { header, type SmtpStandIn, startSmtpStandIn } from '../../support/smtp-stand-in.js';
import { cardProblem, startTeamsServer, TEAMS_PATH } from '../../support/teams-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const SECRET = `whsec_${Buffer.from('a-test-signing-secret-of-32-bytes').toString('base64')}`;

const opened: AlertMessage = {
  event: 'opened',
  testId: 'acme--shop--login',
  testName: 'Login <b>& co</b>',
  repo: 'acme/shop',
  url: 'https://shop.example.com/login',
  since: Date.UTC(2026, 4, 1, 12, 0),
  at: Date.UTC(2026, 4, 1, 12, 30),
  reason: 'text "Welcome" not found <@U123> ```break``` <https://evil.example|click>',
  failedStep: 'check:text Welcome: not found',
  failedRuns: 2,
  links: {
    issue: 'https://github.com/acme/shop/issues/7',
    run: 'https://hc.example/r/acme/shop/login/runs/r1',
  },
};

async function failure(p: Promise<unknown>): Promise<ServiceError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describe('alert senders against their platforms', () => {
  let slack: AlertStandIn;
  let discord: AlertStandIn;
  let teams: AlertStandIn;
  let hook: WebhookReceiver;
  let smtp: SmtpStandIn;
  let channels: ChannelSpec[];

  beforeAll(async () => {
    [slack, discord, teams, hook, smtp] = await Promise.all([
      startSlackServer(),
      startDiscordServer(),
      startTeamsServer(),
      startWebhookReceiver(SECRET),
      startSmtpStandIn({ user: 'alerts', pass: 'p@ss word' }),
    ]);
    const read = readChannels({
      HOUSECAT_NOTIFY_SLACK: `slack+${slack.url}${SLACK_PATH}`,
      HOUSECAT_NOTIFY_DISCORD: `discord+${discord.url}${DISCORD_PATH}`,
      HOUSECAT_NOTIFY_TEAMS: `teams+${teams.url}${TEAMS_PATH}`,
      HOUSECAT_NOTIFY_HOOK: `webhook+${hook.url}/hooks/housecat`,
      HOUSECAT_NOTIFY_HOOK_SECRET: SECRET,
      HOUSECAT_NOTIFY_MAIL: `smtp://alerts:p%40ss%20word@127.0.0.1:${smtp.port}?from=housecat@example.com&to=a@example.com,b@example.com`,
    });
    expect(read.problems).toEqual([]);
    channels = read.channels;
  });
  afterAll(async () => {
    await Promise.all([slack, discord, teams, hook].map((s) => s?.close()));
    await smtp?.close();
  });
  const channel = (name: string) => channels.find((c) => c.name === name) as ChannelSpec;

  it('posts Slack blocks that Slack takes, with page text unable to mention or link', async () => {
    const answer = await sendOver(channel('slack'), opened, 'k1');
    expect(answer).toEqual({ status: 200, body: 'ok' });
    const body = JSON.parse(slack.accepted()[0]!.body) as { text: string; blocks: unknown[] };
    expect(slackPayloadProblem(body)).toBeNull();
    const json = JSON.stringify(body.blocks);
    expect(json).toContain('&lt;@U123&gt;');
    expect(json).not.toContain('<https://evil.example');
    expect(json).toContain('https://github.com/acme/shop/issues/7');
  });

  it('turns Slack 429 into a pause of its Retry-After, and 404 no_service into a refusal for good', async () => {
    slack.trouble({ kind: 'rate-limit', retryAfterS: 2 });
    const limited = await failure(sendOver(channel('slack'), opened, 'k2'));
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterMs).toBe(2000);
    const gone = await failure(
      sendOver({ ...channel('slack'), url: `${slack.url}/services/T0/B0/gone` }, opened, 'k3'),
    );
    expect(gone.retryable).toBe(false);
    expect(gone.message).toContain('no_service');
    expect(gone.message).not.toContain('/services/');
    slack.trouble({ kind: 'status', status: 503 });
    expect((await failure(sendOver(channel('slack'), opened, 'k4'))).retryable).toBe(true);
  });

  it('posts a Discord embed (204) and reads retry_after from its 429 body', async () => {
    expect((await sendOver(channel('discord'), opened, 'k5')).status).toBe(204);
    const body = JSON.parse(discord.accepted()[0]!.body) as { allowed_mentions: unknown };
    expect(discordPayloadProblem(body)).toBeNull();
    expect(body.allowed_mentions).toEqual({ parse: [] });
    discord.trouble({ kind: 'rate-limit', retryAfterS: 1.5 });
    const limited = await failure(sendOver(channel('discord'), opened, 'k6'));
    expect(limited.retryAfterMs).toBe(1500);
  });

  it('posts an Adaptive Card to a Teams workflow (202)', async () => {
    expect((await sendOver(channel('teams'), opened, 'k7')).status).toBe(202);
    expect(cardProblem(JSON.parse(teams.accepted()[0]!.body))).toBeNull();
  });

  it("signs webhooks so standardwebhooks' own Webhook.verify accepts them, with the key as webhook-id", async () => {
    expect((await sendOver(channel('hook'), opened, 'ops:acme--shop--login:1:opened')).status).toBe(204);
    expect(hook.verified).toHaveLength(1);
    expect(hook.verified[0]).toMatchObject({
      type: 'incident.opened',
      data: { testId: 'acme--shop--login' },
    });
    expect(hook.accepted()[0]!.headers['webhook-id']).toBe('ops:acme--shop--login:1:opened');
    const wrong = await startWebhookReceiver(
      `whsec_${Buffer.from('another-secret-entirely-32-bytes').toString('base64')}`,
    );
    try {
      const refused = await failure(sendOver({ ...channel('hook'), url: `${wrong.url}/x` }, opened, 'k8'));
      expect(refused.status).toBe(401);
      expect(wrong.verified).toHaveLength(0);
    } finally {
      await wrong.close();
    }
  });

  it('mails an HTML and a text part over SMTP with a Message-ID that is the same on every retry', async () => {
    const notifier = createNotifier(channels);
    const answer = await notifier.send('mail', opened, 'mail-key');
    expect(answer.body).toContain('Message queued');
    smtp.trouble({ kind: 'reply', code: 451 });
    const later = await failure(notifier.send('mail', opened, 'mail-key'));
    expect(later.retryable).toBe(true);
    await notifier.send('mail', opened, 'mail-key');
    expect(smtp.mails).toHaveLength(2);
    const [first, second] = smtp.mails;
    expect(first!.to).toEqual(['a@example.com', 'b@example.com']);
    expect(first!.subject).toContain('is failing');
    expect(first!.messageId).toBe(second!.messageId);
    expect(first!.raw).toContain('text/html');
    expect(first!.raw).toContain('text/plain');
    expect(header(first!.raw, 'X-HouseCat-Event')).toBe('opened');
    smtp.trouble({ kind: 'reply', code: 554 });
    expect((await failure(notifier.send('mail', opened, 'k9'))).retryable).toBe(false);
  });

  it('refuses a wrong SMTP password for good, naming the setting, without the password', async () => {
    const bad = createNotifier([
      { ...channel('mail'), smtp: { ...channel('mail').smtp!, pass: 'not-the-password' } },
    ]);
    const refused = await failure(bad.send('mail', opened, 'k10'));
    expect(refused.retryable).toBe(false);
    expect(refused.message).toContain('user and password');
    expect(refused.message).not.toContain('not-the-password');
  });
});
