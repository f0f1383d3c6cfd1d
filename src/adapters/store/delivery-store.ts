/**
 * The DeliveryStore port (core/scheduling/delivery-store.ts) over a transport: builds the arguments
 * of the claim and record scripts (delivery-scripts.ts) and reads their replies. Both stores (TCP
 * and Upstash REST) send them as one EVAL each.
 */
import {
  decodeOutboxItem,
  encodeOutboxItem,
  type OutboxItem,
  outboxQueueOf,
} from '../../core/incidents/outbox.js';
import type {
  ClaimDeliveryInput,
  DeliveryClaim,
  DeliveryStore,
  RecordDeliveryInput,
  RecordDeliveryOutcome,
  StoredResult,
} from '../../core/ports.js';
import {
  bucketOf,
  hourOf,
  LATENESS_EDGES_MS,
  latenessOf,
  responseOf,
  STATUS_ORDER,
} from '../../core/status/rollup.js';
import {
  decodeIncident,
  decodeResult,
  decodeTest,
  encodeEvent,
  encodeIncident,
  encodeResult,
  encodeTiming,
  strings,
} from './codec.js';
import type { Limits } from './commands.js';
import {
  CLAIM_DELIVERY_SCRIPT,
  RECORD_DELIVERY_SCRIPT,
  RELEASE_DELIVERY_SCRIPT,
  RENEW_DELIVERY_SCRIPT,
} from './delivery-scripts.js';
import { INCIDENT_HISTORY_MS } from './incident-history.js';
import { claimNames, type KeySpace } from './keys.js';
import { oldestKeptHour } from './rollup-commands.js';
import type { Reply, Transport } from './transport.js';

const ms = (n: number) => String(Math.max(1, Math.round(n)));

export function createDeliveryStore(
  transport: Transport,
  keys: KeySpace,
  limits: Limits,
  now: () => number,
): DeliveryStore {
  const claims = (input: { testId: string; messageId?: string; jti: string }) => [
    keys.claim(claimNames.message(input.messageId, input.jti)),
    keys.claim(claimNames.runLock(input.testId)),
  ];
  return {
    async claimDelivery(input) {
      const reply = await transport.command('claim the delivery', [
        'EVAL',
        CLAIM_DELIVERY_SCRIPT,
        '8',
        keys.claim(claimNames.token(input.jti)),
        keys.claim(claimNames.arrival(input.messageId, input.jti)),
        ...claims(input),
        keys.test(input.testId),
        keys.incident(input.testId),
        keys.results(input.testId),
        keys.outboxQueue(input.testId),
        input.owner,
        String(input.arrivedAt),
        ms(input.tokenTtlMs),
        ms(input.messageTtlMs),
        ms(input.minLeaseMs),
        ms(input.maxLeaseMs),
        String(Math.max(1, Math.floor(input.historyLimit))),
        'done',
      ]);
      return decodeClaim(keys.test(input.testId), reply, input);
    },

    async recordDelivery(input) {
      const { result } = input;
      const id = result.testId;
      const reply = await transport.command('record the run', [
        'EVAL',
        RECORD_DELIVERY_SCRIPT,
        '11',
        keys.stats(id),
        keys.results(id),
        keys.timing(id),
        keys.events(id),
        ...claims({ testId: id, jti: input.jti, ...(input.messageId ? { messageId: input.messageId } : {}) }),
        keys.incident(id),
        keys.incidents(),
        keys.outboxQueue(id),
        keys.outbox(),
        keys.claim(claimNames.incidentLock(id)),
        ...recordArgs(keys, limits, input, now()),
      ]);
      const [applied, tests] = Array.isArray(reply) ? reply : [];
      return {
        incident: applied === 'applied' ? 'applied' : applied === 'stale' ? 'stale' : 'none',
        outboxTests: Number(tests) || 0,
      } satisfies RecordDeliveryOutcome;
    },

    async renewDelivery(input) {
      const reply = await transport.command('renew the delivery', [
        'EVAL',
        RENEW_DELIVERY_SCRIPT,
        '2',
        ...claims(input),
        input.owner,
        ms(input.leaseMs),
      ]);
      return Number(reply) === 1;
    },

    async releaseDelivery(input) {
      await transport.command('release the delivery', [
        'EVAL',
        RELEASE_DELIVERY_SCRIPT,
        '3',
        ...claims(input),
        keys.claim(claimNames.incidentLock(input.testId)),
        input.owner,
      ]);
    },
  };
}

/** The record script's ARGV, in the order it reads them. */
function recordArgs(keys: KeySpace, limits: Limits, input: RecordDeliveryInput, at: number): string[] {
  const { result } = input;
  const response = responseOf(result);
  const late = latenessOf(result);
  const args: string[] = [
    String(at),
    encodeResult(result),
    String(result.startedAt),
    encodeTiming(result),
    String(hourOf(result.startedAt)),
    String(STATUS_ORDER.indexOf(result.status)),
    String(response === undefined ? -1 : bucketOf(response)),
    String(oldestKeptHour(limits, at)),
    String(limits.retentionMs),
    String(late === undefined ? -1 : bucketOf(late, LATENESS_EDGES_MS)),
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

function decodeClaim(testKey: string, reply: Reply, input: ClaimDeliveryInput): DeliveryClaim {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string') {
    throw new Error(`claim of the delivery of ${input.testId}: unexpected reply from the claim script`);
  }
  const kind = reply[0];
  if (kind === 'token-used') return { kind };
  const firstArrivedAt = Math.min(Number(reply[1]) || input.arrivedAt, input.arrivedAt);
  if (kind === 'missing') return { kind, firstArrivedAt };
  const test = decodeTest(testKey, reply[2] ?? null);
  if (!test) return { kind: 'missing', firstArrivedAt };
  const leaseMs = Number(reply[3]) || input.maxLeaseMs;
  if (kind === 'done' || kind === 'running' || kind === 'busy')
    return { kind, firstArrivedAt, test, leaseMs };
  if (kind !== 'claimed')
    throw new Error(`claim of the delivery of ${input.testId}: unknown answer "${kind}"`);
  const history = strings(reply[6] ?? null)
    .map(decodeResult)
    .filter((r): r is StoredResult => r !== null);
  const pending = strings(reply[7] ?? null)
    .map(decodeOutboxItem)
    .filter((i): i is OutboxItem => i !== null);
  return {
    kind: 'claimed',
    firstArrivedAt,
    test,
    leaseMs,
    incident: decodeIncident(reply[4] ?? null),
    incidentVersion: String(reply[5] ?? ''),
    history,
    pending,
  };
}
