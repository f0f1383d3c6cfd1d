/**
 * Sends one alert the outbox holds (a `notify` item, core/incidents/outbox.ts), for the drainer
 * (drain-outbox.ts), which retries it with back-off and honours the platform's Retry-After.
 *
 * Exactly once, as far as a platform without idempotency allows: the item was saved once, with the
 * decision; one drainer at a time works a channel's queue (its lease); and a sent alert's key is
 * remembered (`claim:notify:sent:{key}`) before its item is removed, so a second copy of the item
 * (two replicas deciding, a redelivery) is skipped rather than sent. What no one can close is the
 * gap between the platform's "ok" and that write: a crash exactly there sends it again, and the
 * Standard Webhooks `webhook-id` and the email's Message-ID (both the key) let receivers drop it.
 */
import { ServiceError } from '../core/errors.js';
import type { NotifyItem } from '../core/incidents/outbox.js';
import { channelVariable } from '../core/notify/channels.js';
import type { AlertMessage } from '../core/notify/message.js';
import type { Notifier, NotifyHealthStore, SendAnswer } from '../core/notify/ports.js';
import type { Logger, Store } from '../core/ports.js';

/** How long a sent alert's key is remembered: longer than an item is ever retried (a day). */
export const SENT_TTL_MS = 7 * 86_400_000;
const SENT = 'sent';
const sentKey = (key: string) => `notify:sent:${key}`;

export interface AlertDeps {
  store: Store;
  logger: Logger;
  notifier: Notifier;
  /** Where each channel's health is kept for the dashboard; unset: not kept. */
  health?: NotifyHealthStore;
  /** GitHub's web address (`https://github.com`, or a GitHub Enterprise host), for issue links. */
  githubWeb: string;
}

/**
 * Sends `item` unless its key was sent already. Returns the platform's answer, or null when it was
 * a duplicate. Throws a ServiceError (retryable unless the platform refused it for good).
 */
export async function sendAlert(deps: AlertDeps, item: NotifyItem): Promise<SendAnswer | null> {
  if ((await deps.store.readClaim(sentKey(item.key))) === SENT) {
    deps.logger.info(`alert ${item.key} was sent already; this copy is not sent again`);
    return null;
  }
  if (!deps.notifier.has(item.channel)) {
    throw new ServiceError(
      'HouseCat',
      `send the "${item.event}" alert of ${item.testId}`,
      `the test routes alerts to channel "${item.channel}" (notify: in housecat.yml), but this app has no ${channelVariable(item.channel)}`,
      {
        hint: `set ${channelVariable(item.channel)} (see docs/alerts.md) and restart the app; the alert waits a day for it`,
      },
    );
  }
  const message = await withIssueLink(deps, item);
  const answer = await deps.notifier.send(item.channel, message, item.key);
  // Remembered before the item is removed: a crash between the two leaves a copy that is skipped.
  await deps.store.claim(sentKey(item.key), SENT, SENT_TTL_MS);
  await deps.health?.record(item.channel, {}).catch(() => undefined);
  deps.logger.info(
    `alert sent: "${item.event}" of ${item.testId} to ${item.channel} (HTTP ${answer.status})`,
  );
  return answer;
}

/** Records a failed attempt on the channel's health (a best effort: the dashboard only reads it). */
export async function recordAlertFailure(
  deps: Pick<AlertDeps, 'health' | 'notifier'>,
  item: NotifyItem,
  error: string,
  givenUp: boolean,
): Promise<void> {
  await deps.health
    ?.record(item.channel, { error, unknown: !deps.notifier.has(item.channel), givenUp })
    .catch(() => undefined);
}

/**
 * The issue link: the alert was decided before the issue existed (it goes out without waiting for
 * GitHub), so the number is looked up now; until then it links the repository's issues.
 */
async function withIssueLink(deps: AlertDeps, item: NotifyItem): Promise<AlertMessage> {
  if (item.event === 'test' || item.message.links.issue?.includes('/issues/')) return item.message;
  const incident = await deps.store.getIncident(item.testId).catch(() => null);
  const number = incident?.since === item.since ? incident.issueNumber : undefined;
  const issues = `${deps.githubWeb.replace(/\/$/, '')}/${item.repo}/issues`;
  const issue = number !== undefined ? `${issues}/${number}` : issues;
  return { ...item.message, links: { ...item.message.links, issue } };
}
