/**
 * What a QStash error means for the person running HouseCat, and what to do about it. QStash's plan
 * limits get their own words, because "check the cron" sends people looking in the wrong place:
 *
 * - **412** on creating a schedule: the plan's schedule quota is full (Free: 10 active schedules);
 * - **429 with `RateLimit-*`** (the client's `QstashDailyRatelimitError`): the daily message limit
 *   is used up (Free: 1,000 a day); every schedule firing and every publish is one message;
 * - **429 with `Burst-RateLimit-*`** (`QstashRatelimitError`): too many API calls in one second.
 */
import { QstashDailyRatelimitError, QstashError, QstashRatelimitError } from '@upstash/qstash';
import { ServiceError } from '../../core/errors.js';

/** Where the token and URL came from, named in the hints. */
export interface QStashErrorSources {
  /** e.g. `input "qstash-token"`; default QSTASH_TOKEN. */
  tokenSource?: string;
  /** e.g. `input "qstash-url"`; default QSTASH_URL. */
  urlSource?: string;
}

/** The HTTP status of a QStash client error, or undefined for a network failure. */
export function qstashStatus(error: unknown): number | undefined {
  return error instanceof QstashError ? error.status : undefined;
}

function resetTime(reset: string | null | undefined): string {
  const seconds = Number(reset);
  if (!reset || !Number.isFinite(seconds) || seconds <= 0) return 'at 00:00 UTC';
  return `at ${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The plan-limit hint of a 412 or a daily-limit 429, or null for any other error. */
export function planLimitHint(error: unknown): string | null {
  if (error instanceof QstashDailyRatelimitError) {
    return (
      `QStash's daily message limit is used up (${error.limit ?? '?'} messages a day on this plan; the Free plan has 1,000), ` +
      `it resets ${resetTime(error.reset)}. Every schedule firing is one message, so is each watchdog call: ` +
      'upgrade the QStash plan (pay-as-you-go has no daily limit), give tests longer schedule intervals, ' +
      'or call the watchdog less often (HOUSECAT_WATCHDOG_MINUTES / input "watchdog-minutes")'
    );
  }
  if (qstashStatus(error) === 412) {
    return (
      "QStash refused a new schedule: the plan's quota of active schedules is full (the Free plan allows 10, " +
      'and HouseCat uses one per scheduled test plus one for the watchdog). Upgrade the QStash plan, ' +
      'delete schedules you no longer use in the Upstash console (QStash → Schedules), or give fewer tests a schedule'
    );
  }
  return null;
}

function hintFor(error: unknown, baseUrl: string, sources: QStashErrorSources): string {
  const status = qstashStatus(error);
  const token = sources.tokenSource ?? 'QSTASH_TOKEN';
  const url = sources.urlSource ?? 'QSTASH_URL';
  const plan = planLimitHint(error);
  if (plan) return plan;
  if (status === 401 || status === 403) {
    return (
      `QStash refused the token: check ${token} (copy the QSTASH_TOKEN from the Upstash console, QStash tab; ` +
      `a token of the US region works only with QSTASH_URL=https://qstash-us-east-1.upstash.io, and ${url} must match it)`
    );
  }
  if (status === 429 || error instanceof QstashRatelimitError) {
    return "QStash's per-second rate limit was hit: wait a few seconds and run the sync again (it is safe to repeat)";
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return 'QStash rejected the request: check the schedule (cron) and the callback URL';
  }
  if (status !== undefined) return 'QStash had a server error: run the sync again (it is safe to repeat)';
  return `could not reach QStash at ${baseUrl}: check ${url} and the network`;
}

/** Wraps a QStash client error in a ServiceError that names the operation and what to do. */
export function qstashServiceError(
  operation: string,
  error: unknown,
  baseUrl: string,
  sources: QStashErrorSources,
): ServiceError {
  const status = qstashStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  // A full quota or a used-up day does not get better by retrying in a minute.
  const planLimit = planLimitHint(error) !== null;
  return new ServiceError('QStash', operation, status ? `HTTP ${status}: ${message}` : message, {
    ...(status !== undefined ? { status } : {}),
    hint: hintFor(error, baseUrl, sources),
    retryable: !planLimit && (status === undefined || status >= 500 || status === 429),
  });
}
