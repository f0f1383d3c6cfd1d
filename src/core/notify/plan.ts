/**
 * Which alerts an incident event sends: one outbox item per channel the test routes to
 * (`notify:`) whose `notify_on:` lists the event. Pure; the decision saves the items with itself.
 */
import type { NotifyItem } from '../incidents/outbox.js';
import type { TestDefinition } from '../types.js';
import { type AlertMessage, DEFAULT_NOTIFY_ON, type NotifyEvent } from './message.js';

/** The channels and events of a test (its own, else `defaults:`, else the file's top level). */
export function routeOf(test: Pick<TestDefinition, 'notify' | 'notifyOn'>): {
  channels: string[];
  events: readonly NotifyEvent[];
} {
  return { channels: test.notify ?? [], events: test.notifyOn ?? DEFAULT_NOTIFY_ON };
}

/**
 * The idempotency key of one incident event on one channel. An incident is identified by its test
 * and `since`; `detail` tells apart events that can happen more than once in one incident (each
 * reason change is about a run).
 */
export function alertKey(channel: string, testId: string, since: number, event: string, detail = ''): string {
  return [channel, testId, String(since), event, detail].filter(Boolean).join(':');
}

/**
 * The alert items of `event` for `test`: none when the test routes nowhere or not this event. A
 * resolved `missed` incident is told only to channels that were told it was missed (a "recovered"
 * out of nowhere helps nobody).
 */
export function planAlerts(input: {
  test: Pick<TestDefinition, 'id' | 'repo' | 'notify' | 'notifyOn'>;
  event: NotifyEvent;
  /** The incident was opened by the watchdog (runs stopped), not by failed runs. */
  missedIncident?: boolean;
  message: AlertMessage;
  now: number;
  /** Tells apart repeatable events of one incident (the run of a reason change). */
  detail?: string;
  newId: () => string;
}): NotifyItem[] {
  const { test, event, message, now } = input;
  const route = routeOf(test);
  if (!route.events.includes(event)) return [];
  if (event === 'resolved' && input.missedIncident && !route.events.includes('missed')) return [];
  return route.channels.map((channel) => ({
    id: input.newId(),
    kind: 'notify',
    channel,
    event,
    key: alertKey(channel, test.id, message.since, event, input.detail),
    message,
    testId: test.id,
    repo: test.repo,
    since: message.since,
    createdAt: now,
    attempts: 0,
  }));
}
