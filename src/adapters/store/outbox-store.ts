/**
 * The GitHub outbox in Redis (the port is OutboxStore in core/incidents/outbox.ts):
 * - `outbox:{id}` (list): the test's pending items, oldest first, each the JSON of one item;
 * - `outbox` (sorted set): the ids of tests with pending items, score = when the queue is due.
 * A decision and its items are written in one MULTI; every change to a queue after that is one Lua
 * script that checks the head is still the item the caller worked on (by its exact text), so a
 * drainer whose lease lapsed cannot remove or replace someone else's item.
 */
import {
  type DecisionWrite,
  decodeOutboxItem,
  encodeOutboxItem,
  type OutboxItem,
  type OutboxStore,
  outboxQueueOf,
  type PendingItem,
} from '../../core/incidents/outbox.js';
import { clip, MAX_REASON, strings } from './codec.js';
import { closeIncidentCommand, saveIncidentCommands } from './commands.js';
import { HISTORY_LUA } from './incident-history.js';
import type { KeySpace } from './keys.js';
import { type Command, evalCommand, type Transport } from './transport.js';

/**
 * KEYS queue, outbox, incident; ARGV raw, test id, now, since, number, key prefix. Pops the head if
 * it is `raw`. An issue created after its incident already resolved (GitHub was down throughout)
 * gets its number in the incident history too: the member is rebuilt from the record, replaced, and
 * only if it is still there (a trimmed one is not brought back).
 */
const DONE_SCRIPT = `${HISTORY_LUA}
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
if ARGV[4] ~= '' and redis.call('HGET', KEYS[3], 'since') == ARGV[4] then
  local before = history_fields(KEYS[3])
  redis.call('HSET', KEYS[3], 'issue_number', ARGV[5])
  redis.call('HDEL', KEYS[3], 'github_error')
  local key = history_key(ARGV[6], before)
  if key and redis.call('HGET', KEYS[3], 'status') == 'resolved' and
    redis.call('ZREM', key, history_entry(before)) == 1 then
    redis.call('ZADD', key, before[3], history_entry(history_fields(KEYS[3])))
  end
end
if redis.call('LLEN', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[2]) end
return redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])`;

/** KEYS queue, outbox; ARGV raw, next, test id, due. Replaces the head if it is `raw`. */
const RETRY_SCRIPT = `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LSET', KEYS[1], 0, ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return 1`;

/** KEYS queue, outbox, incident; ARGV raw, test id, now, error. Pops the head and records why. */
const DROP_SCRIPT = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('HSET', KEYS[3], 'github_error', ARGV[4]) end
if redis.call('LLEN', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[2]) end
return redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])`;

/** KEYS queue, outbox; ARGV test id. The head item and the queue's due time (false: none). */
const HEAD_SCRIPT = `
return {redis.call('LINDEX', KEYS[1], 0), redis.call('ZSCORE', KEYS[2], ARGV[1])}`;

/** What every outbox command needs: where to send it, the key names, the clock. */
interface OutboxContext {
  transport: Transport;
  keys: KeySpace;
  now: () => number;
}

/** Creates the OutboxStore over `transport`. */
export function createOutboxStore(transport: Transport, keys: KeySpace, now: () => number): OutboxStore {
  const ctx: OutboxContext = { transport, keys, now };
  return {
    commit: (write) => commit(ctx, write),
    pending: (testId) => pending(ctx, testId),
    head: (testId) => head(ctx, testId),
    due: (at, limit) => due(ctx, at, limit),
    nextDue: () => nextDue(ctx),
    done: (testId, raw, issue) => done(ctx, testId, raw, issue),
    retryLater: (testId, raw, next, dueAt) => retryLater(ctx, testId, raw, next, dueAt),
    drop: (testId, raw, error) => drop(ctx, testId, raw, error),
  };
}

/** The keys the done and drop scripts hold: the test's queue, the outbox index, its incident. */
function scriptKeys({ keys }: OutboxContext, testId: string): string[] {
  return [keys.outboxQueue(testId), keys.outbox(), keys.incident(testId)];
}

/** The incident decision and its GitHub work, in one MULTI; each queue becomes due now unless it already waits. */
async function commit({ transport, keys, now }: OutboxContext, write: DecisionWrite): Promise<void> {
  const commands: Command[] = [];
  if (write.save) commands.push(...saveIncidentCommands(keys, write.save));
  if (write.close) commands.push(closeIncidentCommand(keys, write.close.testId, write.close.resolvedAt));
  const byTest = new Map<string, OutboxItem[]>();
  // By queue: a test's GitHub work in its own queue, an alert in its channel's (outboxQueueOf).
  for (const item of write.work) {
    const queue = outboxQueueOf(item);
    byTest.set(queue, [...(byTest.get(queue) ?? []), item]);
  }
  for (const [testId, items] of byTest) {
    commands.push(
      ['RPUSH', keys.outboxQueue(testId), ...items.map(encodeOutboxItem)],
      // NX: a queue already backing off keeps its due time (the new items wait behind its head).
      ['ZADD', keys.outbox(), 'NX', String(now()), testId],
    );
  }
  if (commands.length > 0) await transport.transaction('save the incident and its GitHub work', commands);
}

async function pending({ transport, keys }: OutboxContext, testId: string): Promise<OutboxItem[]> {
  const reply = await transport.command('read the outbox', ['LRANGE', keys.outboxQueue(testId), '0', '-1']);
  return strings(reply)
    .map(decodeOutboxItem)
    .filter((i): i is OutboxItem => i !== null);
}

/** The test's head item and when its queue is due; an unreadable head is dropped and the next one read. */
async function head(ctx: OutboxContext, testId: string): Promise<PendingItem | null> {
  const { transport, keys } = ctx;
  // One EVAL, not a pipeline of two: one command on the bill per item drained (issue 25).
  const reply = await transport.command(
    'read the outbox',
    evalCommand(HEAD_SCRIPT, [keys.outboxQueue(testId), keys.outbox()], [testId]),
  );
  const [raw, score] = Array.isArray(reply) ? reply : [null, null];
  if (typeof raw !== 'string') return null;
  const due = score === null || score === undefined ? 0 : Number(score);
  const item = decodeOutboxItem(raw);
  if (!item) {
    // Not an item HouseCat can carry out: drop it rather than block the test's queue for ever.
    await drop(ctx, testId, raw, 'an unreadable outbox item was dropped');
    return head(ctx, testId);
  }
  return { item, raw, dueAt: due };
}

/** Up to `limit` tests whose queue is due at `at`. */
async function due({ transport, keys }: OutboxContext, at: number, limit: number): Promise<string[]> {
  const reply = await transport.command('read the outbox', [
    'ZRANGEBYSCORE',
    keys.outbox(),
    '-inf',
    String(at),
    'LIMIT',
    '0',
    String(Math.max(1, Math.floor(limit))),
  ]);
  return strings(reply);
}

/** When the earliest queue is due, or null when the outbox is empty. */
async function nextDue({ transport, keys }: OutboxContext): Promise<number | null> {
  const reply = await transport.command('read the outbox', ['ZRANGE', keys.outbox(), '0', '0', 'WITHSCORES']);
  const score = Array.isArray(reply) ? reply[1] : undefined;
  return score === undefined || score === null ? null : Number(score);
}

/** Removes the head `raw` once carried out; with the issue it created, notes its number on the incident. */
async function done(
  ctx: OutboxContext,
  testId: string,
  raw: string,
  issue?: { since: number; number: number },
): Promise<void> {
  const args = [
    raw,
    testId,
    String(ctx.now()),
    issue ? String(issue.since) : '',
    issue ? String(issue.number) : '',
    ctx.keys.prefix,
  ];
  await ctx.transport.command(
    'finish an outbox item',
    evalCommand(DONE_SCRIPT, scriptKeys(ctx, testId), args),
  );
}

/** Replaces the head `raw` with `next`, due at `dueAt`. */
async function retryLater(
  { transport, keys }: OutboxContext,
  testId: string,
  raw: string,
  next: OutboxItem,
  dueAt: number,
): Promise<void> {
  const args = [raw, encodeOutboxItem(next), testId, String(Math.round(dueAt))];
  await transport.command(
    'postpone an outbox item',
    evalCommand(RETRY_SCRIPT, [keys.outboxQueue(testId), keys.outbox()], args),
  );
}

/** Removes the head `raw` without carrying it out, and records why on the incident. */
async function drop(ctx: OutboxContext, testId: string, raw: string, error: string): Promise<void> {
  const args = [raw, testId, String(ctx.now()), clip(error, MAX_REASON)];
  await ctx.transport.command('drop an outbox item', evalCommand(DROP_SCRIPT, scriptKeys(ctx, testId), args));
}
