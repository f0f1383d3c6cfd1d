/**
 * `housecat notify test CHANNEL`: sends a test alert over one channel of this environment (the
 * `HOUSECAT_NOTIFY_<NAME>` variables the app reads) and prints what the platform answered, so a
 * channel is checked when it is set up, not at the first incident. `housecat notify list` shows the
 * channels it finds (names, kinds and hosts: never the URL's token).
 */
import { randomUUID } from 'node:crypto';
import { readNotifyChannels } from '../../adapters/env.js';
import { createNotifier } from '../../adapters/notify/index.js';
import { ServiceError } from '../../core/errors.js';
import { channelVariable } from '../../core/notify/channels.js';
import type { AlertMessage } from '../../core/notify/message.js';
import { parseFlags } from '../args.js';
import { withDotEnv } from '../dot-env.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type Command, EXIT, UsageError } from '../io.js';

const help = `Usage: housecat notify test CHANNEL
       housecat notify list

Sends a test alert over alert channel CHANNEL and prints the platform's answer
(Slack's "ok", Discord's 204, a Teams workflow's 202, your webhook's status, the
SMTP server's reply). "list" shows the channels this environment configures.

A channel is one environment variable, HOUSECAT_NOTIFY_<NAME> (CHANNEL is <NAME>
in lower case, as housecat.yml's notify: names it):
  slack+https://hooks.slack.com/services/…       Slack incoming webhook
  discord+https://discord.com/api/webhooks/…     Discord webhook
  teams+https://…                                 Microsoft Teams workflow webhook
  webhook+https://…                               Standard Webhooks, signed with
                                                  HOUSECAT_NOTIFY_<NAME>_SECRET=whsec_…
  smtp://user:pass@host:587?from=…&to=a@…,b@…     email (smtps:// for TLS on 465)
http:// is accepted only for localhost. See docs/alerts.md.

Options:
  -h, --help   show this help

Exit status:
${exitCodeHelp()}`;

export const notifyCommand: Command = {
  name: 'notify',
  summary: 'send a test alert over a channel (Slack, Discord, Teams, webhook, email) or list them',
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags('notify', args, {}, { positionals: true });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const [action, name, ...rest] = positionals;
    if ((action !== 'test' && action !== 'list') || (action === 'test' && !name) || rest.length > 0) {
      throw new UsageError(
        'housecat notify: expected "test CHANNEL" or "list" — see `housecat notify --help`',
      );
    }
    const channels = readNotifyChannels(withDotEnv(io.env, io.cwd).env);
    const notifier = createNotifier(channels);
    if (action === 'list') {
      if (channels.length === 0) io.stdout('No alert channels: set HOUSECAT_NOTIFY_<NAME> (see --help).');
      for (const c of notifier.channels()) io.stdout(c.description);
      return EXIT.ok;
    }
    const channel = String(name).toLowerCase();
    if (!notifier.has(channel)) {
      const known = channels.map((c) => c.name).join(', ') || 'none';
      throw new UsageError(
        `housecat notify: no channel "${channel}" — set ${channelVariable(channel)} (channels here: ${known})`,
      );
    }
    const described = notifier.channels().find((c) => c.name === channel)?.description ?? channel;
    try {
      const answer = await notifier.send(channel, testMessage(), `test:${channel}:${randomUUID()}`);
      io.stdout(
        `Sent a test alert to ${described}: HTTP ${answer.status}${answer.body ? ` ${answer.body}` : ''}`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      io.stderr(`housecat notify: ${described} did not take the test alert: ${error.message}`);
      return error.retryable ? EXIT.service : EXIT.usage;
    }
  },
};

function testMessage(): AlertMessage {
  const now = Date.now();
  return {
    event: 'test',
    testId: 'housecat-notify-test',
    testName: 'HouseCat',
    repo: 'housecat/notify-test',
    url: 'https://example.com/',
    since: now,
    at: now,
    reason: 'This is a test alert from `housecat notify test`: the channel works.',
    links: {},
  };
}
