/**
 * Discord webhooks, as Discord's developer docs describe "Execute Webhook" and rate limits: POST
 * JSON to /api/webhooks/{id}/{token}; 204 No Content (200 with the message object when `?wait=true`);
 * 400 with a JSON error (`50006` empty message, `50035` invalid form body: an embed title over 256,
 * more than 25 fields, a field value over 1024); 404 `Unknown Webhook` (10015); 429 with a JSON body
 * `{message, retry_after (seconds, float), global}` and `Retry-After` / `X-RateLimit-*` headers.
 */
import { type AlertStandIn, jsonOf, startAlertStandIn } from './alert-stand-in.js';

export const DISCORD_PATH = '/api/webhooks/1234567890/discord-token-abc';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Why Discord would refuse the body, or null. */
export function discordPayloadProblem(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return 'not JSON';
  const p = payload as { content?: string; embeds?: Record<string, unknown>[] };
  if (!p.content && !(p.embeds && p.embeds.length > 0)) return 'empty';
  for (const e of p.embeds ?? []) {
    if (typeof e.title === 'string' && e.title.length > 256) return 'title too long';
    if (typeof e.description === 'string' && e.description.length > 4096) return 'description too long';
    const fields = (e.fields ?? []) as { name?: string; value?: string }[];
    if (fields.length > 25) return 'too many fields';
    if (fields.some((f) => !f.name || !f.value || f.name.length > 256 || f.value.length > 1024))
      return 'bad field';
  }
  return null;
}

export function startDiscordServer(options: { perSecond?: number } = {}): Promise<AlertStandIn> {
  return startAlertStandIn(
    {
      name: 'Discord',
      answer(req, body) {
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method !== 'POST' || url.pathname !== DISCORD_PATH) {
          return json(404, { message: 'Unknown Webhook', code: 10015 });
        }
        const payload = jsonOf(body);
        const problem = discordPayloadProblem(payload);
        if (problem === 'empty') return json(400, { message: 'Cannot send an empty message', code: 50006 });
        if (problem) return json(400, { message: 'Invalid Form Body', code: 50035, errors: { problem } });
        if (url.searchParams.get('wait') === 'true') {
          return json(200, { id: String(Date.now()), type: 0, ...(payload as object) });
        }
        return { status: 204 };
      },
      rateLimited: (s) =>
        json(
          429,
          { message: 'You are being rate limited.', retry_after: s, global: false },
          {
            'retry-after': String(Math.ceil(s)),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': String(s),
          },
        ),
    },
    options,
  );
}
