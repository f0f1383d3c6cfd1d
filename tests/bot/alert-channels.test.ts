/**
 * Channels that do not work are said where people look, and hold no one else up: a channel a test
 * names but the app lacks is reported in the app's log, in the run's own log and on the dashboard,
 * and its alert waits in the outbox (not dropped); a channel that keeps failing is marked unhealthy
 * on the dashboard while the other channel gets its alert at once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePage } from '../../src/bot/dashboard/pages.js';
import { notifyQueue } from '../../src/core/incidents/outbox.js';
import { readChannels } from '../../src/core/notify/channels.js';
import type { ChannelHealth } from '../../src/core/notify/ports.js';
import type { AlertStandIn } from '../support/alert-stand-in.js';
import { taken } from '../support/alerts-received.js';
import { DISCORD_PATH, startDiscordServer } from '../support/discord-server.js';
import { SLACK_PATH, startSlackServer } from '../support/slack-server.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

describe('alert channels that do not work', () => {
  let h: Harness;
  let slack: AlertStandIn;
  let discord: AlertStandIn;
  const log: string[] = [];

  beforeAll(async () => {
    [slack, discord] = await Promise.all([startSlackServer(), startDiscordServer()]);
    const { channels } = readChannels({
      HOUSECAT_NOTIFY_OPS: `slack+${slack.url}${SLACK_PATH}`,
      HOUSECAT_NOTIFY_TEAM: `discord+${discord.url}${DISCORD_PATH}`,
    });
    h = await startHarness({
      channels,
      incidentWaitMs: 5000,
      // Three failed sends wait 2 + 4 + 8 s at the default first pause; 200 ms keeps the doubling.
      outboxFirstRetryMs: 200,
      logger: { info: () => undefined, warn: (m) => log.push(m), error: (m) => log.push(m) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([slack?.close(), discord?.close()]);
  });

  const health = async (channel: string): Promise<ChannelHealth | undefined> =>
    (await h.app.alerts.health?.read())?.find((c) => c.channel === channel);

  it('says an unknown channel in the log, the run log and on the dashboard, and keeps its alert', async () => {
    const test = makeTest(`unknown-${randomUUID().slice(0, 6)}`, {
      failureThreshold: 1,
      schedule: '*/5 * * * *',
      notify: ['ops', 'pager'],
    });
    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'failed' });
    const answer = await deliverScheduled(h.url, h.signing.current, test.id);
    expect(answer.status).toBe(200);
    await slack.until(() => taken(slack, test).opened === 1, 'the alert on the configured channel');
    expect(log.join('\n')).toContain('set HOUSECAT_NOTIFY_PAGER');
    const events = await h.store.readEvents(test.id);
    expect(events.some((e) => e.type === 'error' && e.message.includes('HOUSECAT_NOTIFY_PAGER'))).toBe(true);
    // Not dropped: it waits for the channel to be configured (a day at most).
    const waiting = await h.store.outbox.pending(notifyQueue('pager'));
    expect(waiting).toHaveLength(1);
    await waitFor(async () => (await health('pager'))?.state === 'unknown');
    const page = homePage([], { login: 'octo', csrf: 'x' }, 'https://github.com', [(await health('pager'))!]);
    expect(page).toContain('pager');
    expect(page).toContain('not configured');
  });

  it('marks a channel that keeps failing unhealthy, while the other channel gets its alert at once', async () => {
    const test = makeTest(`failing-${randomUUID().slice(0, 6)}`, {
      failureThreshold: 1,
      schedule: '*/5 * * * *',
      notify: ['ops', 'team'],
    });
    await h.addTest(test);
    discord.trouble(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502 })));
    h.agent.verdict.set(test.id, { status: 'failed' });
    await deliverScheduled(h.url, h.signing.current, test.id);
    await slack.until(() => taken(slack, test).opened === 1, 'the alert on the healthy channel');
    await discord.until(
      () => discord.received.filter((r) => r.status === 502).length >= 3,
      'three failures',
      30_000,
    );
    await waitFor(async () => (await health('team'))?.state === 'failing');
    const team = (await health('team'))!;
    expect(team.lastError).toContain('HTTP 502');
    expect(team.lastError).not.toContain('discord-token');
    expect(homePage([], { login: 'octo', csrf: 'x' }, 'https://github.com', [team])).toContain('unhealthy');
    // It recovers: the alert goes out once the platform answers again, and the channel is healthy.
    await discord.until(() => taken(discord, test).opened === 1, 'the alert after the failures', 60_000);
    await waitFor(async () => (await health('team'))?.state === 'ok');
  }, 90_000);
});

async function waitFor(check: () => Promise<boolean>, withinMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error('the condition did not hold in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
