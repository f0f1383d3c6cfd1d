/**
 * The DeliveryStore port (core/scheduling/delivery-store.ts) over a transport: builds the arguments
 * of the claim and record scripts (delivery-scripts.ts) and reads their replies. Both stores (TCP
 * and Upstash REST) send them as one EVAL each.
 */
import { decodeOutboxItem, type OutboxItem } from '../../core/incidents/outbox.js';
import type {
  ClaimDeliveryInput,
  DeliveryClaim,
  DeliveryStore,
  RecordDeliveryInput,
  RecordDeliveryOutcome,
  StoredResult,
} from '../../core/ports.js';
import { decodeIncident, decodeResult, decodeTest, strings } from './codec.js';
import type { Limits } from './commands.js';
import { ms, recordArgs } from './delivery-record-args.js';
import {
  CLAIM_DELIVERY_SCRIPT,
  RECORD_DELIVERY_SCRIPT,
  RELEASE_DELIVERY_SCRIPT,
  RENEW_DELIVERY_SCRIPT,
} from './delivery-scripts.js';
import { claimNames, type KeySpace } from './keys.js';
import type { Reply, Transport } from './transport.js';

type RenewDeliveryInput = Parameters<DeliveryStore['renewDelivery']>[0];
type ReleaseDeliveryInput = Parameters<DeliveryStore['releaseDelivery']>[0];

/** What every delivery command needs: where to send it, the key names, the limits, the clock. */
interface DeliveryContext {
  transport: Transport;
  keys: KeySpace;
  limits: Limits;
  now: () => number;
}

/** Creates the DeliveryStore over `transport`: each method is one EVAL of its script. */
export function createDeliveryStore(
  transport: Transport,
  keys: KeySpace,
  limits: Limits,
  now: () => number,
): DeliveryStore {
  const ctx: DeliveryContext = { transport, keys, limits, now };
  return {
    claimDelivery: (input) => claimDelivery(ctx, input),
    recordDelivery: (input) => recordDelivery(ctx, input),
    renewDelivery: (input) => renewDelivery(ctx, input),
    releaseDelivery: (input) => releaseDelivery(ctx, input),
  };
}

/** The delivery's message claim and the test's run lock, the two keys every script holds. */
function claimKeys(keys: KeySpace, input: { testId: string; messageId?: string; jti: string }): string[] {
  return [
    keys.claim(claimNames.message(input.messageId, input.jti)),
    keys.claim(claimNames.runLock(input.testId)),
  ];
}

async function claimDelivery(
  { transport, keys }: DeliveryContext,
  input: ClaimDeliveryInput,
): Promise<DeliveryClaim> {
  const reply = await transport.command('claim the delivery', [
    'EVAL',
    CLAIM_DELIVERY_SCRIPT,
    '8',
    keys.claim(claimNames.token(input.jti)),
    keys.claim(claimNames.arrival(input.messageId, input.jti)),
    ...claimKeys(keys, input),
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
}

async function recordDelivery(
  { transport, keys, limits, now }: DeliveryContext,
  input: RecordDeliveryInput,
): Promise<RecordDeliveryOutcome> {
  const id = input.result.testId;
  const reply = await transport.command('record the run', [
    'EVAL',
    RECORD_DELIVERY_SCRIPT,
    '11',
    keys.stats(id),
    keys.results(id),
    keys.timing(id),
    keys.events(id),
    ...claimKeys(keys, {
      testId: id,
      jti: input.jti,
      ...(input.messageId ? { messageId: input.messageId } : {}),
    }),
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
}

async function renewDelivery(
  { transport, keys }: DeliveryContext,
  input: RenewDeliveryInput,
): Promise<boolean> {
  const reply = await transport.command('renew the delivery', [
    'EVAL',
    RENEW_DELIVERY_SCRIPT,
    '2',
    ...claimKeys(keys, input),
    input.owner,
    ms(input.leaseMs),
  ]);
  return Number(reply) === 1;
}

async function releaseDelivery(
  { transport, keys }: DeliveryContext,
  input: ReleaseDeliveryInput,
): Promise<void> {
  await transport.command('release the delivery', [
    'EVAL',
    RELEASE_DELIVERY_SCRIPT,
    '3',
    ...claimKeys(keys, input),
    keys.claim(claimNames.incidentLock(input.testId)),
    input.owner,
  ]);
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
