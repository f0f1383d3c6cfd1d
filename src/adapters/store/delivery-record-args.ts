/**
 * The ARGV of the record script (delivery-scripts.ts), in the order it reads them: the run and its
 * rollup fields, the events, then the incident write and the GitHub work it queues.
 */
import { encodeOutboxItem, type OutboxItem, outboxQueueOf } from '../../core/incidents/outbox.js';
import type { RecordDeliveryInput } from '../../core/ports.js';
import { encodeEvent, encodeIncident, encodeResult, encodeTiming } from './codec.js';
import type { Limits } from './commands.js';
import { INCIDENT_HISTORY_MS } from './incident-history.js';
import type { KeySpace } from './keys.js';
import { rollupFields } from './rollup-commands.js';

/** A duration in whole milliseconds, at least 1 (Redis refuses an expiry of 0). */
export const ms = (n: number) => String(Math.max(1, Math.round(n)));

/** The record script's ARGV, in the order it reads them. */
export function recordArgs(keys: KeySpace, limits: Limits, input: RecordDeliveryInput, at: number): string[] {
  const { result } = input;
  const f = rollupFields(limits, result, at);
  const args: string[] = [
    String(at),
    encodeResult(result),
    String(result.startedAt),
    encodeTiming(result),
    f.hour,
    f.status,
    f.bucket,
    f.oldest,
    f.ttl,
    f.lateBucket,
    `(${at - limits.retentionMs}`,
    String(limits.eventsCap),
    input.owner,
    input.settle.value,
    ms(input.settle.ttlMs),
    String(input.events.length),
  ];
  for (const event of input.events) {
    const fields = encodeEvent(result.runId, event);
    args.push(String(fields.length), ...fields);
  }
  const incident = input.incident;
  if (!incident) return [...args, 'skip', ''];
  const { write, work } = incident;
  args.push(write.kind, incident.version, result.testId);
  if (write.kind === 'save') {
    const fields = encodeIncident(write.incident);
    args.push(String(fields.length), ...fields, write.incident.status === 'resolved' ? '0' : '1');
  } else if (write.kind === 'close') {
    args.push(
      String(write.resolvedAt),
      keys.prefix,
      String(write.resolvedAt - INCIDENT_HISTORY_MS),
      String(INCIDENT_HISTORY_MS),
    );
  }
  // The test's GitHub work goes to its own queue (KEYS); an alert to its channel's queue, named here
  // because the channels a decision alerts are known only now (outboxQueueOf, as outbox.commit does).
  const own = work.filter((item) => outboxQueueOf(item) === result.testId);
  const others = new Map<string, OutboxItem[]>();
  for (const item of work) {
    const queue = outboxQueueOf(item);
    if (queue !== result.testId) others.set(queue, [...(others.get(queue) ?? []), item]);
  }
  args.push(String(own.length), ...own.map(encodeOutboxItem), String(others.size));
  for (const [queue, items] of others) {
    args.push(keys.outboxQueue(queue), queue, String(items.length), ...items.map(encodeOutboxItem));
  }
  return args;
}
