/**
 * The Notifier (core/notify/ports.ts) over this process's channels: each kind sends through its own
 * module (slack.ts with @slack/webhook, webhook.ts with standardwebhooks, smtp.ts with nodemailer,
 * discord.ts and teams.ts by hand).
 */
import { ServiceError } from '../../core/errors.js';
import { type ChannelSpec, channelVariable, describeChannel } from '../../core/notify/channels.js';
import type { AlertMessage } from '../../core/notify/message.js';
import type { Notifier, SendAnswer } from '../../core/notify/ports.js';
import { sendDiscord } from './discord.js';
import { sendSlack } from './slack.js';
import { sendEmail } from './smtp.js';
import { sendTeams } from './teams.js';
import { sendWebhook } from './webhook.js';

/** Sends one alert over one channel. */
export function sendOver(spec: ChannelSpec, message: AlertMessage, key: string): Promise<SendAnswer> {
  switch (spec.kind) {
    case 'slack':
      return sendSlack(spec.url, message);
    case 'discord':
      return sendDiscord(spec.url, message);
    case 'teams':
      return sendTeams(spec.url, message);
    case 'webhook':
      return sendWebhook(spec.url, spec.secret ?? '', message, key);
    case 'smtp':
      if (!spec.smtp) throw new Error(`${channelVariable(spec.name)}: no SMTP settings`);
      return sendEmail(spec.smtp, message, key);
  }
}

/** The Notifier of `channels` (from readChannels). */
export function createNotifier(channels: readonly ChannelSpec[]): Notifier {
  const byName = new Map(channels.map((c) => [c.name, c]));
  return {
    channels: () => channels.map((c) => ({ name: c.name, kind: c.kind, description: describeChannel(c) })),
    has: (name) => byName.has(name),
    async send(name, message, key) {
      const spec = byName.get(name);
      if (!spec) {
        throw new ServiceError('HouseCat', 'send an alert', `no channel "${name}"`, {
          hint: `set ${channelVariable(name)} (docs/alerts.md)`,
        });
      }
      return sendOver(spec, message, key);
    },
  };
}
