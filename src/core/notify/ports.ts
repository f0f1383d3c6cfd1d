/**
 * The ports of alerting: the senders (src/adapters/notify, one platform each) and the record of each
 * channel's health that the dashboard shows (src/adapters/store/notify-health-store.ts).
 */
import type { ChannelKind } from './channels.js';
import type { AlertMessage } from './message.js';

/** What a platform answered a sent alert (for `housecat notify test`, and the log). */
export interface SendAnswer {
  status: number;
  /** The platform's answer body, clipped (Slack's "ok", a Discord message id, an SMTP reply). */
  body: string;
}

/**
 * Sends alerts to the channels of this process's environment. `send` throws a ServiceError naming
 * the platform: `retryable: false` for a refusal retrying cannot change (a revoked webhook, a
 * payload refused), with `retryAfterMs` when the platform asked for a pause (429 Retry-After).
 */
export interface Notifier {
  /** The configured channels, by name. */
  channels(): { name: string; kind: ChannelKind; description: string }[];
  has(channel: string): boolean;
  /** Sends one alert. `key` is the event's idempotency key (the Standard Webhooks `webhook-id`, an email's Message-ID). */
  send(channel: string, message: AlertMessage, key: string): Promise<SendAnswer>;
}

/** A channel as the dashboard shows it. */
export interface ChannelHealth {
  channel: string;
  /** `failing`: its last attempts failed (or an alert was given up); `unknown`: named but not configured. */
  state: 'ok' | 'failing' | 'unknown';
  /** Failed attempts since the last success. */
  failures: number;
  /** Epoch ms of the last success. */
  lastOkAt?: number;
  /** What went wrong last (no URL, no secret). */
  lastError?: string;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

/** Failed attempts in a row after which a channel shows as failing. */
export const UNHEALTHY_AFTER = 3;

export interface NotifyHealthStore {
  /** Records a success (`error` undefined) or a failure of `channel`; `unknown`: not configured. */
  record(channel: string, outcome: { error?: string; unknown?: boolean; givenUp?: boolean }): Promise<void>;
  /** Every channel's record, by name. */
  read(): Promise<ChannelHealth[]>;
}
