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
import { evalCommand, type Reply, type Transport } from './transport.js';

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

/** Sends one EVAL of `script` with its KEYS and ARGV. */
function evalScript(ctx: DeliveryContext, what: string, script: string, keys: string[], args: string[]) {
  return ctx.transport.command(what, evalCommand(script, keys, args));
}

async function claimDelivery(ctx: DeliveryContext, input: ClaimDeliveryInput): Promise<DeliveryClaim> {
  const { keys } = ctx;
  const testId = input.testId;
  const scriptKeys = [
    keys.claim(claimNames.token(input.jti)),
    keys.claim(claimNames.arrival(input.messageId, input.jti)),
    ...claimKeys(keys, input),
    keys.test(testId),
    keys.incident(testId),
    keys.results(testId),
    keys.outboxQueue(testId),
  ];
  const reply = await evalScript(ctx, 'claim the delivery', CLAIM_DELIVERY_SCRIPT, scriptKeys, [
    input.owner,
    String(input.arrivedAt),
    ms(input.tokenTtlMs),
    ms(input.messageTtlMs),
    ms(input.minLeaseMs),
    ms(input.maxLeaseMs),
    String(Math.max(1, Math.floor(input.historyLimit))),
    'done',
  ]);
  return decodeClaim(keys.test(testId), reply, input);
}

async function recordDelivery(
  ctx: DeliveryContext,
  input: RecordDeliveryInput,
): Promise<RecordDeliveryOutcome> {
  const { keys } = ctx;
  const id = input.result.testId;
  const message = { testId: id, jti: input.jti, ...(input.messageId ? { messageId: input.messageId } : {}) };
  const scriptKeys = [
    keys.stats(id),
    keys.results(id),
    keys.timing(id),
    keys.events(id),
    ...claimKeys(keys, message),
    keys.incident(id),
    keys.incidents(),
    keys.outboxQueue(id),
    keys.outbox(),
    keys.claim(claimNames.incidentLock(id)),
  ];
  const args = recordArgs(keys, ctx.limits, input, ctx.now());
  const reply = await evalScript(ctx, 'record the run', RECORD_DELIVERY_SCRIPT, scriptKeys, args);
  const [applied, tests] = Array.isArray(reply) ? reply : [];
  return {
    incident: applied === 'applied' ? 'applied' : applied === 'stale' ? 'stale' : 'none',
    outboxTests: Number(tests) || 0,
  } satisfies RecordDeliveryOutcome;
}

async function renewDelivery(ctx: DeliveryContext, input: RenewDeliveryInput): Promise<boolean> {
  const scriptKeys = claimKeys(ctx.keys, input);
  const args = [input.owner, ms(input.leaseMs)];
  return Number(await evalScript(ctx, 'renew the delivery', RENEW_DELIVERY_SCRIPT, scriptKeys, args)) === 1;
}

async function releaseDelivery(ctx: DeliveryContext, input: ReleaseDeliveryInput): Promise<void> {
  const scriptKeys = [...claimKeys(ctx.keys, input), ctx.keys.claim(claimNames.incidentLock(input.testId))];
  await evalScript(ctx, 'release the delivery', RELEASE_DELIVERY_SCRIPT, scriptKeys, [input.owner]);
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
