/**
 * The GitHub outbox: the issue work an incident decision implies (create the issue, comment, close),
 * saved in the same transaction as the decision, then carried out by whoever comes next (the same
 * request, the next delivery, the start-up sweep, the watchdog). So an incident is never left without
 * its issue because GitHub was slow or down, or the process died, between the two.
 *
 * Work is kept per test, in order: a create comes before the comments on that issue, and they before
 * its close. Every item is idempotent on GitHub (the incident marker for a create, a marker line for
 * a comment; a close of a closed issue changes nothing), so an item that was sent but not confirmed
 * (a crash, a timeout) is simply done again.
 */
import type { AlertMessage, NotifyEvent } from '../notify/message.js';
import type { Incident } from '../types.js';

export type OutboxItem =
  | (OutboxItemBase & { kind: 'create'; title: string; body: string })
  | (OutboxItemBase & { kind: 'comment'; body: string; marker: string; issueNumber?: number })
  | (OutboxItemBase & { kind: 'close'; issueNumber?: number })
  | RequestItem
  | NotifyItem;

/**
 * An alert to one channel (core/notify), saved with the decision like the GitHub work. It waits in
 * its channel's queue (`notify:{channel}`, see {@link outboxQueueOf}), not the test's: Slack being
 * down must not hold the issue back, one channel must not hold another, and one queue per channel
 * paces a storm to the platform's rate limit.
 */
export type NotifyItem = OutboxItemBase & {
  kind: 'notify';
  /** The channel's name (`notify: [ops]`). */
  channel: string;
  event: NotifyEvent | 'test';
  /**
   * The idempotency key of the incident event on this channel (`{channel}:{testId}:{since}:{event}…`):
   * once sent, it is remembered, so a second copy of the item (two replicas, a redelivery) is not sent.
   */
  key: string;
  message: AlertMessage;
};

/** The queue an item waits in: its test's, or for an alert its channel's. */
export function outboxQueueOf(item: OutboxItem): string {
  return item.kind === 'notify' ? notifyQueue(item.channel) : item.testId;
}

/** The outbox queue of a channel's alerts (test ids never contain ":", so it cannot be a test's). */
export function notifyQueue(channel: string): string {
  return `notify:${channel}`;
}

/**
 * Work a webhook asked for (app/incident-issue-events.ts). GitHub never redelivers a failed webhook by itself,
 * so the webhook only saves the request here and answers; the drainer carries it out and retries
 * it like any other item. `since` is 0: it belongs to no incident.
 * - `run`: `/housecat run` commented on incident issue `issueNumber`; carried out, it is replaced by
 *   the reply (a `comment` item whose marker names the delivery, so the reply is made once);
 * - `acknowledge`: a person closed incident issue `issueNumber`.
 */
export type RequestItem = OutboxItemBase & {
  kind: 'run' | 'acknowledge';
  issueNumber: number;
  /** Login of the person who asked. */
  sender: string;
  /** `X-GitHub-Delivery` of the webhook. */
  delivery: string;
};

const KINDS = new Set(['create', 'comment', 'close', 'run', 'acknowledge', 'notify']);

interface OutboxItemBase {
  /** Unique per item (a UUID). */
  id: string;
  testId: string;
  /** `owner/name`. */
  repo: string;
  /** The `since` of the incident the item belongs to: it finds the issue when the number is unknown. */
  since: number;
  /** Epoch ms when it was saved. */
  createdAt: number;
  /** Failed attempts so far. */
  attempts: number;
  lastError?: string;
}

/** A pending item as stored: `raw` is its exact stored text, used to replace or remove it atomically. */
export interface PendingItem {
  item: OutboxItem;
  raw: string;
  /** When the test's queue may be worked on next (epoch ms): later than now while backing off. */
  dueAt: number;
}

/** What one decision writes in its single transaction. */
export interface DecisionWrite {
  /** Replaces the incident record (as `Store.saveIncident`). */
  save?: Incident;
  /** Resolves the incident record (as `Store.closeIncident`). */
  close?: { testId: string; resolvedAt: number };
  /** Appended to the test's queue. */
  work: OutboxItem[];
}

/** The outbox in Redis (src/adapters/store/outbox-store.ts). */
export interface OutboxStore {
  /** The decision and its GitHub work, in one MULTI. */
  commit(write: DecisionWrite): Promise<void>;
  /** The items waiting for `testId`, oldest first. */
  pending(testId: string): Promise<OutboxItem[]>;
  /** The oldest item of `testId` with its due time, or null when none is waiting. */
  head(testId: string): Promise<PendingItem | null>;
  /** Test ids whose queue is due at `now`, earliest first, at most `limit`. */
  due(now: number, limit: number): Promise<string[]>;
  /** The earliest due time of any queue, or null when the outbox is empty. */
  nextDue(): Promise<number | null>;
  /**
   * Removes the item (when it is still the head). With `issue`, also records the created issue's
   * number on the incident, when the incident is still the one the item belongs to.
   */
  done(testId: string, raw: string, issue?: { since: number; number: number }): Promise<void>;
  /** Replaces the head item by `next` (attempts, last error) and makes the queue due at `dueAt`. */
  retryLater(testId: string, raw: string, next: OutboxItem, dueAt: number): Promise<void>;
  /** Removes the item for good and records `error` on the incident (field `github_error`). */
  drop(testId: string, raw: string, error: string): Promise<void>;
}

/** Encodes an item for the store. */
export function encodeOutboxItem(item: OutboxItem): string {
  return JSON.stringify(item);
}

/** Decodes a stored item, or null when it is not one (written by hand, or by another version). */
export function decodeOutboxItem(raw: string): OutboxItem | null {
  try {
    const item = JSON.parse(raw) as Partial<OutboxItem>;
    if (
      typeof item.id !== 'string' ||
      typeof item.testId !== 'string' ||
      typeof item.repo !== 'string' ||
      typeof item.since !== 'number' ||
      !KINDS.has(String(item.kind))
    ) {
      return null;
    }
    return { attempts: 0, createdAt: 0, ...item } as OutboxItem;
  } catch {
    return null;
  }
}

/**
 * Pause before attempt `attempts + 1` after `attempts` failures: `firstMs` (default 2 s) doubling,
 * at most 5 minutes.
 */
export function outboxBackoffMs(attempts: number, firstMs = 2000): number {
  return Math.min(5 * 60_000, firstMs * 2 ** Math.max(0, attempts - 1));
}

/** How long a retryable item is tried before it is given up (and recorded on the incident). */
export const OUTBOX_GIVE_UP_MS = 24 * 3_600_000;
