/**
 * QStash's plan limits and dead letter queue, as the QStash stand-in enforces them. From Upstash's
 * docs ("API Rate Limit Response", "Retry", "Dead Letter Queues") and the @upstash/qstash client:
 *
 * - Over the plan's schedule quota (Free: 10 active schedules), creating a new schedule answers
 *   **412**; replacing an existing schedule id is no new schedule and still works.
 * - Every new message counts against the daily limit (Free: 1,000 a day, reset at 00:00 UTC): a
 *   publish and every schedule firing. Retries are attempts of the same message, not new ones.
 *   Over the limit a publish answers **429** with `RateLimit-Limit`, `RateLimit-Remaining` and
 *   `RateLimit-Reset` (unix seconds), which the client turns into `QstashDailyRatelimitError`; a
 *   schedule firing over the limit makes no message, so nothing is delivered.
 * - Every non-2xx answer of the destination (429 with `Retry-After` included: the header only moves
 *   the next attempt) uses one retry; after the last one the message goes to the DLQ, listed by
 *   `GET /v2/dlq` (the client's `dlq.listMessages()`). A 489 with `Upstash-NonRetryable-Error: true`
 *   skips the remaining retries and goes to the DLQ at once.
 *
 * The status codes and headers are the docs'; the error texts are ours (the docs do not give them).
 */
import type { Client } from '@upstash/qstash';

/** A plan's limits; an absent field is unlimited. */
export interface QStashPlanLimits {
  /** Active schedules the account may have (Free: 10). */
  maxSchedules?: number;
  /** New messages a day, publishes and schedule firings together (Free: 1,000). */
  dailyMessages?: number;
}

/** The Free plan's limits. */
export const QSTASH_FREE_PLAN: Required<QStashPlanLimits> = { maxSchedules: 10, dailyMessages: 1000 };

/** A DLQ entry exactly as the pinned client types it, so the stand-in cannot drift from the SDK. */
export type DlqMessage = Awaited<ReturnType<Client['dlq']['listMessages']>>['messages'][number];

const DAY_MS = 86_400_000;

/** Counts new messages per UTC day of the stand-in's clock and answers whether one more fits. */
export function dailyCounter(limit: number | undefined) {
  let day = -1;
  let used = 0;
  return {
    /** Takes one message of the day's budget; false (and nothing taken) when the day is used up. */
    take(now: number): boolean {
      const today = Math.floor(now / DAY_MS);
      if (today !== day) {
        day = today;
        used = 0;
      }
      if (limit !== undefined && used >= limit) return false;
      used += 1;
      return true;
    },
    used: () => used,
    /** The `RateLimit-*` headers QStash sends with the daily-limit 429. */
    headers(now: number): Record<string, string> {
      const reset = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
      return {
        'RateLimit-Limit': String(limit ?? 0),
        'RateLimit-Remaining': String(Math.max(0, (limit ?? 0) - used)),
        'RateLimit-Reset': String(Math.floor(reset / 1000)),
      };
    },
  };
}

/** The 412 QStash answers when a new schedule would exceed the plan's quota. */
export function scheduleQuotaError(limit: number): string {
  return `Precondition failed: the plan allows ${limit} active schedules and all are in use`;
}
