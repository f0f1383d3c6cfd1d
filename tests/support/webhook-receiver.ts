/**
 * A receiver of Standard Webhooks: it checks each request with the `standardwebhooks` package's own
 * `Webhook.verify` (signature and a 5-minute timestamp tolerance), answers 204 when it holds and 401
 * when it does not, and records which requests verified.
 */
import { Webhook } from 'standardwebhooks';
import { type AlertStandIn, startAlertStandIn } from './alert-stand-in.js';

export interface WebhookReceiver extends AlertStandIn {
  /** Payloads that verified, in order. */
  verified: unknown[];
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verified: unknown[] = [];
  const verifier = new Webhook(secret);
  const standIn = await startAlertStandIn({
    name: 'Webhook receiver',
    answer(req, body) {
      try {
        const payload = verifier.verify(body, req.headers as Record<string, string>);
        verified.push(payload);
        return { status: 204 };
      } catch (error) {
        return { status: 401, body: String(error) };
      }
    },
    rateLimited: (s) => ({ status: 429, headers: { 'retry-after': String(s) } }),
  });
  return Object.assign(standIn, { verified });
}
