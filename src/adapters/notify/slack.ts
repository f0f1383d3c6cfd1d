/**
 * Slack incoming webhooks through Slack's own `@slack/webhook`: a message in Block Kit (a header,
 * the facts as fields, the reason as a code block, link buttons) with a plain `text` fallback for
 * notifications. Slack answers `ok` (200), `invalid_payload` (400), `no_service` (404),
 * `channel_is_archived` (410), or 429 with `Retry-After`; the SDK throws on non-2xx without the
 * headers, so its `fetch` option keeps the last answer's `Retry-After` for the outbox.
 */
import { type FetchFunction, IncomingWebhook, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { AlertMessage } from '../../core/notify/message.js';
import { alertFacts, alertLinks, alertTitle } from '../../core/notify/message.js';
import type { SendAnswer } from '../../core/notify/ports.js';
import { httpRefusal, noAnswer, retryAfterMs, SEND_TIMEOUT_MS } from './http.js';

/** Slack's mrkdwn treats &, < and > as control characters: escaped, page text cannot make a link or a mention. */
export const slackEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Block Kit message of an alert. */
export function slackMessage(m: AlertMessage): IncomingWebhookSendArguments {
  const title = alertTitle(m);
  const blocks: NonNullable<IncomingWebhookSendArguments['blocks']> = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    {
      type: 'section',
      fields: alertFacts(m)
        .slice(0, 10)
        .map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${slackEscape(f.value)}` })),
    },
  ];
  const code = (label: string, text: string) =>
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${label}*\n\`\`\`${slackEscape(text.replace(/`/g, "'"))}\`\`\`` },
    });
  if (m.reason) code(m.event === 'resolved' ? 'Last failure' : 'Why', m.reason);
  if (m.failedStep) code('Failed step', m.failedStep);
  if (m.previousReason) code('Before', m.previousReason);
  const links = alertLinks(m);
  if (links.length > 0) {
    blocks.push({
      type: 'actions',
      elements: links.map((l) => ({
        type: 'button',
        text: { type: 'plain_text', text: l.label },
        url: l.url,
      })),
    });
  }
  return { text: `${title} (${m.repo})`, blocks, unfurl_links: false, unfurl_media: false };
}

/** Sends one alert to a Slack incoming webhook. */
export async function sendSlack(url: string, m: AlertMessage): Promise<SendAnswer> {
  let asked: number | undefined;
  const webhook = new IncomingWebhook(url, {
    timeout: SEND_TIMEOUT_MS,
    // Node's Response is the SDK's FetchResponse at run time; its DOM typing lacks `entries`.
    fetch: (async (input: string | URL, init?: RequestInit) => {
      const res = await fetch(input, init);
      asked = retryAfterMs(res.headers.get('retry-after'));
      return res;
    }) as unknown as FetchFunction,
  });
  try {
    const answer = await webhook.send(slackMessage(m));
    return { status: 200, body: answer.text.slice(0, 500) };
  } catch (error) {
    const e = error as { statusCode?: number; body?: string; original?: unknown };
    if (typeof e.statusCode === 'number') {
      throw httpRefusal('Slack', 'send an alert', e.statusCode, e.body ?? '', asked);
    }
    throw noAnswer('Slack', 'send an alert', e.original ?? error);
  }
}
