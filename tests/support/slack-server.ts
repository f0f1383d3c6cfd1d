/**
 * Slack incoming webhooks, as Slack documents them (api.slack.com/messaging/webhooks, "Handling
 * errors") and `@slack/webhook` reads them: POST JSON to /services/T…/B…/…; 200 with the body `ok`;
 * 400 `invalid_payload` for a body that is not a message (no text, no blocks, or blocks Block Kit
 * refuses: a header over 150 characters, more than 10 fields, a button without plain text), 404
 * `no_service` for a webhook that does not exist; past 1 message a second, 429 with `Retry-After`.
 */
import { type AlertStandIn, jsonOf, startAlertStandIn } from './alert-stand-in.js';

export const SLACK_PATH = '/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX';

const text = (status: number, body: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'text/html', ...headers },
  body,
});

/** Why Slack would refuse the message, or null. */
export function slackPayloadProblem(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return 'not a JSON object';
  const p = payload as { text?: unknown; blocks?: unknown };
  const blocks = Array.isArray(p.blocks) ? (p.blocks as Record<string, unknown>[]) : undefined;
  if (typeof p.text !== 'string' && !blocks) return 'no text and no blocks';
  for (const b of blocks ?? []) {
    if (b.type === 'header') {
      const t = b.text as { type?: string; text?: string } | undefined;
      if (t?.type !== 'plain_text' || !t.text || t.text.length > 150) return 'bad header block';
    } else if (b.type === 'section') {
      const fields = b.fields as { type?: string; text?: string }[] | undefined;
      if (fields && (fields.length > 10 || fields.some((f) => !f.text || f.text.length > 2000)))
        return 'bad fields';
      const t = b.text as { text?: string } | undefined;
      if (!fields && (!t?.text || t.text.length > 3000)) return 'bad section text';
    } else if (b.type === 'actions') {
      const elements = b.elements as { type?: string; text?: { type?: string }; url?: string }[];
      if (!Array.isArray(elements) || elements.some((e) => e.text?.type !== 'plain_text'))
        return 'bad actions';
    } else {
      return `unknown block type ${String(b.type)}`;
    }
  }
  return null;
}

export function startSlackServer(options: { perSecond?: number } = {}): Promise<AlertStandIn> {
  return startAlertStandIn(
    {
      name: 'Slack',
      answer(req, body) {
        if (req.method !== 'POST' || req.url !== SLACK_PATH) return text(404, 'no_service');
        if (!String(req.headers['content-type']).startsWith('application/json'))
          return text(400, 'invalid_payload');
        return slackPayloadProblem(jsonOf(body)) ? text(400, 'invalid_payload') : text(200, 'ok');
      },
      rateLimited: (s) => text(429, 'rate_limited', { 'retry-after': String(s) }),
    },
    options,
  );
}
