/**
 * QStash's answer to a delivery, made from what the use case reports (src/app/handle-delivery.ts).
 * The codes are QStash's contract: any 2xx acknowledges the message; every other answer spends one
 * of its retries (a 429's `Retry-After` only sets when the next one comes); 489 with
 * `Upstash-NonRetryable-Error: true` sends it to the DLQ at once, without retries.
 */
import type { DeliveryOutcome } from '../app/handle-delivery.js';

/** Status, JSON body and extra headers of one answer to QStash. */
export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The HTTP answer for a delivery's outcome. */
export function deliveryAnswer(outcome: DeliveryOutcome): DeliveryAnswer {
  switch (outcome.kind) {
    case 'ran':
      return {
        status: 200,
        body: {
          ok: true,
          testId: outcome.testId,
          runId: outcome.runId,
          status: outcome.status,
          incident: outcome.incident,
        },
      };
    case 'duplicate':
      return { status: 200, body: { ok: true, duplicate: outcome.reason, incident: outcome.incident } };
    case 'busy': {
      const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      return {
        status: 429,
        body: { error: `${outcome.reason}; retry in ${seconds} s`, retryAfterSeconds: seconds },
        headers: { 'Retry-After': String(seconds) },
      };
    }
    case 'refused':
      return {
        status: 489,
        body: { error: outcome.reason },
        headers: { 'Upstash-NonRetryable-Error': 'true' },
      };
    case 'incident-unsaved':
      return { status: 502, body: { error: outcome.reason, runId: outcome.runId } };
    case 'unavailable':
      return { status: 503, body: { error: outcome.reason } };
  }
}
