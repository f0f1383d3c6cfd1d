/**
 * A generic webhook, signed per the Standard Webhooks spec with its reference library
 * (`standardwebhooks`): `webhook-id` (the alert's idempotency key, the same on every retry, so the
 * receiver can drop a repeat), `webhook-timestamp` (seconds) and `webhook-signature` (`v1,` +
 * HMAC-SHA256 of `id.timestamp.body`). The body is `{type, timestamp, data}` as the spec suggests.
 */
import { Webhook } from 'standardwebhooks';
import type { AlertMessage } from '../../core/notify/message.js';
import { alertText, alertTitle } from '../../core/notify/message.js';
import type { SendAnswer } from '../../core/notify/ports.js';
import { postJson } from './http.js';

/** The payload of an alert: `type` is `incident.<event>` (`housecat.test` for `notify test`). */
export function webhookPayload(m: AlertMessage, now: Date): string {
  const type = m.event === 'test' ? 'housecat.test' : `incident.${m.event}`;
  return JSON.stringify({
    type,
    timestamp: now.toISOString(),
    data: { ...m, title: alertTitle(m), text: alertText(m) },
  });
}

/** Sends one signed alert. `id` becomes `webhook-id`. */
export function sendWebhook(url: string, secret: string, m: AlertMessage, id: string): Promise<SendAnswer> {
  const now = new Date();
  const body = webhookPayload(m, now);
  const signature = new Webhook(secret).sign(id, now, body);
  return postJson('Webhook', url, body, {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  });
}
