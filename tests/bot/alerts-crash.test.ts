/**
 * The app is killed (SIGKILL) after it saved an incident decision and before it sent the alerts:
 * the alerts wait in the outbox, and the next process sends each exactly once — then the incident
 * resolves on that process, and each channel has one "opened" and one "resolved".
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyQueue } from '../../src/core/incidents/outbox.js';
import { readChannels } from '../../src/core/notify/channels.js';
import type { AlertStandIn } from '../support/alert-stand-in.js';
import { outboxEmpty, taken } from '../support/alerts-received.js';
import { spawnBotProcess } from '../support/bot-process-child.js';
import { DISCORD_PATH, startDiscordServer } from '../support/discord-server.js';
import { SLACK_PATH, startSlackServer } from '../support/slack-server.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, PUBLIC_URL, startHarness } from './harness.js';

describe('alerts when the app is killed between the decision and the send', () => {
  let h: Harness;
  let slack: AlertStandIn;
  let discord: AlertStandIn;
  let child: ChildProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    [slack, discord] = await Promise.all([startSlackServer(), startDiscordServer()]);
    env = {
      HOUSECAT_NOTIFY_OPS: `slack+${slack.url}${SLACK_PATH}`,
      HOUSECAT_NOTIFY_TEAM: `discord+${discord.url}${DISCORD_PATH}`,
    };
    // A 3 s outbox lease in both processes (default 15 s): the killed one's queues are free within
    // it, and the next one looks again that soon.
    h = await startHarness({
      channels: readChannels(env).channels,
      incidentWaitMs: 5000,
      outboxLeaseMs: 3000,
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await h?.close();
    await Promise.all([slack, discord].map((s) => s?.close()));
  });

  it('sends each alert once, from the next process, after a SIGKILL before the send', async () => {
    const test = makeTest(`killed-${randomUUID().slice(0, 6)}`, {
      failureThreshold: 1,
      schedule: '*/5 * * * *',
      notify: ['ops', 'team'],
    });
    await h.addTest(test);
    const lines: string[] = [];
    const bot = spawnBotProcess(
      h,
      PUBLIC_URL,
      { ...env, BOT_AGENT_STATUS: 'failed', BOT_DIE_BEFORE_ALERT: '1', BOT_OUTBOX_LEASE_MS: '3000' },
      lines,
    );
    child = bot.child;
    const exited = new Promise((resolve) => bot.child.once('exit', (_code, signal) => resolve(signal)));
    const url = await bot.url;
    await deliverScheduled(url, h.signing.current, test.id).catch(() => undefined);
    expect(await exited).toBe('SIGKILL');
    expect(lines).toContain('alert-about-to-send');
    // The decision was saved with its alerts; nothing reached a platform.
    expect(slack.received).toHaveLength(0);
    expect(discord.received).toHaveLength(0);
    expect(await h.store.getIncident(test.id)).toMatchObject({ status: 'open' });
    const waiting = [
      ...(await h.store.outbox.pending(notifyQueue('ops'))),
      ...(await h.store.outbox.pending(notifyQueue('team'))),
    ];
    expect(waiting.map((i) => i.kind === 'notify' && i.event)).toEqual(['opened', 'opened']);

    // The next process's start-up sweep (the dead one's lease on a queue lapses within 3 s).
    void h.app.outbox.drainAll();
    await slack.until(() => taken(slack, test).opened === 1, 'the opened alert on Slack', 40_000);
    await discord.until(() => taken(discord, test).opened === 1, 'the opened alert on Discord', 40_000);

    h.agent.verdict.set(test.id, { status: 'passed' });
    const passed = await deliverScheduled(h.url, h.signing.current, test.id);
    expect(passed.status, JSON.stringify(passed.json)).toBe(200);
    await slack.until(() => taken(slack, test).resolved === 1, 'the resolved alert on Slack');
    await discord.until(() => taken(discord, test).resolved === 1, 'the resolved alert on Discord');
    await outboxEmpty(h);
    expect(taken(slack, test)).toEqual({ opened: 1, resolved: 1 });
    expect(taken(discord, test)).toEqual({ opened: 1, resolved: 1 });
  }, 90_000);
});
