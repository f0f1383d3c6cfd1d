/**
 * Discord webhooks, by hand (Discord ships no maintained webhook client for Node; the message is one
 * POST): an embed with the facts as fields, coloured by event. Discord answers 204 (200 with
 * `?wait=true`), and 429 with a JSON body whose `retry_after` is in seconds (and a `Retry-After`
 * header). `allowed_mentions: {parse: []}` keeps page text from pinging anyone.
 */
import type { AlertMessage } from '../../core/notify/message.js';
import { alertColour, alertFacts, alertLinks, alertTitle } from '../../core/notify/message.js';
import type { SendAnswer } from '../../core/notify/ports.js';
import { postJson, retryAfterMs } from './http.js';

/** Puts text in a code block no content can close (Discord has no escape inside one). */
const codeBlock = (text: string) => `\`\`\`\n${text.replace(/`/g, "'").slice(0, 900)}\n\`\`\``;

/** The webhook body of an alert. */
export function discordMessage(m: AlertMessage): Record<string, unknown> {
  const fields = alertFacts(m).map((f) => ({ name: f.label, value: f.value.slice(0, 1024), inline: true }));
  if (m.reason)
    fields.push({
      name: m.event === 'resolved' ? 'Last failure' : 'Why',
      value: codeBlock(m.reason),
      inline: false,
    });
  if (m.failedStep) fields.push({ name: 'Failed step', value: codeBlock(m.failedStep), inline: false });
  if (m.previousReason) fields.push({ name: 'Before', value: codeBlock(m.previousReason), inline: false });
  const links = alertLinks(m);
  const embed: Record<string, unknown> = {
    title: alertTitle(m).slice(0, 256),
    color: alertColour(m.event),
    fields: fields.slice(0, 25),
    timestamp: new Date(m.at).toISOString(),
    footer: { text: 'HouseCat' },
  };
  if (links[0]) embed.url = links[0].url;
  if (links.length > 0) embed.description = links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  return { username: 'HouseCat', embeds: [embed], allowed_mentions: { parse: [] } };
}

/** Sends one alert to a Discord webhook. */
export function sendDiscord(url: string, m: AlertMessage): Promise<SendAnswer> {
  return postJson('Discord', url, discordMessage(m), {}, (status, text, headers) => {
    if (status !== 429) return undefined;
    try {
      const seconds = (JSON.parse(text) as { retry_after?: number }).retry_after;
      if (typeof seconds === 'number') return Math.ceil(seconds * 1000);
    } catch {
      // not JSON: the header says it
    }
    return retryAfterMs(headers.get('retry-after'));
  });
}
