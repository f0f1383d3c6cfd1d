/**
 * The Redis commands behind each store operation, built once for both adapters. Builders are pure:
 * they return command arrays, the store sends them through a transport in one round trip.
 */
import type { ClaimSettle, StoredTest } from '../../core/ports.js';
import type { Incident, RunEvent, RunResult } from '../../core/types.js';
import { encodeEvent, encodeIncident, encodeResult, encodeTest, encodeTiming } from './codec.js';
import { HISTORY_LUA, INCIDENT_HISTORY_MS } from './incident-history.js';
import type { KeySpace } from './keys.js';
import { rollupCommand } from './rollup-commands.js';
import type { Command } from './transport.js';

export { DAY_MS } from '../../core/time.js';

export interface Limits {
  /** Results and timings older than this are trimmed when a run is recorded. */
  retentionMs: number;
  /** Approximate maximum entries per events stream (`XADD MAXLEN ~`). */
  eventsCap: number;
}

/** One XADD per event, trimming the stream to about `eventsCap` entries. */
export function xaddEvents(
  keys: KeySpace,
  limits: Limits,
  testId: string,
  runId: string,
  events: RunEvent[],
): Command[] {
  const key = keys.events(testId);
  return events.map((e) => [
    'XADD',
    key,
    'MAXLEN',
    '~',
    String(limits.eventsCap),
    '*',
    ...encodeEvent(runId, e),
  ]);
}

/**
 * Recording a run: result, timing, events, retention trims and key expiries, sent as one MULTI.
 * Expiries make the keys of a test that stopped running vanish once all their data is past retention.
 */
export function recordRunCommands(
  keys: KeySpace,
  limits: Limits,
  result: RunResult,
  events: RunEvent[],
  now: number,
  settle?: ClaimSettle,
): Command[] {
  const id = result.testId;
  const score = String(result.startedAt);
  const cutoff = `(${now - limits.retentionMs}`;
  const ttl = String(limits.retentionMs);
  const commands: Command[] = [
    // Hourly rollups first: the script skips a run whose results member the ZADD below already stored.
    rollupCommand(keys, limits, result, now),
    ['ZADD', keys.results(id), score, encodeResult(result)],
    ['ZREMRANGEBYSCORE', keys.results(id), '-inf', cutoff],
    ['PEXPIRE', keys.results(id), ttl],
    ['ZADD', keys.timing(id), score, encodeTiming(result)],
    ['ZREMRANGEBYSCORE', keys.timing(id), '-inf', cutoff],
    ['PEXPIRE', keys.timing(id), ttl],
  ];
  if (events.length > 0) {
    commands.push(...xaddEvents(keys, limits, id, result.runId, events), ['PEXPIRE', keys.events(id), ttl]);
  }
  if (settle) {
    commands.push([
      'SET',
      keys.claim(settle.key),
      settle.value,
      'PX',
      String(Math.max(1, Math.round(settle.ttlMs))),
    ]);
  }
  return commands;
}

/**
 * A sync's writes for one repository. Each upserted hash is deleted first so that fields the new
 * definition no longer has (a removed goal or schedule) do not linger.
 */
export function applySyncCommands(
  keys: KeySpace,
  repo: string,
  changes: { upsert: StoredTest[]; remove: string[] },
): Command[] {
  const commands: Command[] = [];
  for (const test of changes.upsert) {
    const id = test.definition.id;
    commands.push(
      ['DEL', keys.test(id)],
      ['HSET', keys.test(id), ...encodeTest(test)],
      ['SADD', keys.allTests(), id],
      ['SADD', keys.repoTests(repo), id],
    );
  }
  for (const id of changes.remove) {
    commands.push(['DEL', keys.test(id)], ['SREM', keys.allTests(), id], ['SREM', keys.repoTests(repo), id]);
  }
  return commands;
}

/** `min`/`max` arguments of ZREVRANGEBYSCORE for a range query. */
export function scoreRange(from: number | undefined, to: number | undefined): [max: string, min: string] {
  return [to === undefined ? '+inf' : String(to), from === undefined ? '-inf' : String(from)];
}

/** Newest first, optionally limited. */
export function zrevrange(
  key: string,
  max: string,
  min: string,
  limit?: number,
  withScores = false,
): Command {
  const command = ['ZREVRANGEBYSCORE', key, max, min];
  if (withScores) command.push('WITHSCORES');
  if (limit !== undefined) command.push('LIMIT', '0', String(Math.max(0, Math.floor(limit))));
  return command;
}

/** Replaces the incident hash and keeps the `incidents` list (active ones) free of duplicates. */
export function saveIncidentCommands(keys: KeySpace, incident: Incident): Command[] {
  const id = incident.testId;
  const commands: Command[] = [
    ['DEL', keys.incident(id)],
    ['HSET', keys.incident(id), ...encodeIncident(incident)],
    ['LREM', keys.incidents(), '0', id],
  ];
  if (incident.status !== 'resolved') commands.push(['RPUSH', keys.incidents(), id]);
  return commands;
}

/**
 * Lua scripts, run with EVAL (Upstash supports it over REST). Each is atomic, so a claim or a close
 * cannot interleave with another writer.
 */

/** KEYS[1] claim key; ARGV owner, ttl ms. Replies `claimed`, `mine` or `taken`. */
export const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if current == ARGV[1] then return 'mine' end
return 'taken'`;

/** KEYS[1] claim key; ARGV owner. Deletes only when the owner still holds it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS[1] claim key; ARGV owner, ttl ms. Sets the TTL only when the owner still holds it. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * KEYS[1] incident hash, KEYS[2] incidents list; ARGV resolved-at, test id, key prefix, history
 * cutoff (epoch ms), history TTL ms. Resolves the record and appends it to the repository's incident
 * history (incident-history.ts). A record that is already resolved is left as it is, so a close sent
 * twice (a client retry) neither moves its time nor adds it to the history twice.
 */
export const CLOSE_INCIDENT_LUA = `${HISTORY_LUA}
local function close_incident(incident_key, list_key, resolved_at, test_id, prefix, cutoff, ttl)
  local status = redis.call('HGET', incident_key, 'status')
  if status and status ~= 'resolved' then
    redis.call('HSET', incident_key, 'status', 'resolved', 'resolved_at', resolved_at)
    local f = history_fields(incident_key)
    local key = history_key(prefix, f)
    if key then
      redis.call('ZADD', key, resolved_at, history_entry(f))
      redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. cutoff)
      redis.call('PEXPIRE', key, ttl)
    end
  end
  return redis.call('LREM', list_key, 0, test_id)
end
`;

export const CLOSE_INCIDENT_SCRIPT = `${CLOSE_INCIDENT_LUA}
return close_incident(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])`;

export function claimCommand(keys: KeySpace, key: string, owner: string, ttlMs: number): Command {
  return ['EVAL', CLAIM_SCRIPT, '1', keys.claim(key), owner, String(Math.max(1, Math.round(ttlMs)))];
}

export function releaseCommand(keys: KeySpace, key: string, owner: string): Command {
  return ['EVAL', RELEASE_SCRIPT, '1', keys.claim(key), owner];
}

export function renewCommand(keys: KeySpace, key: string, owner: string, ttlMs: number): Command {
  return ['EVAL', RENEW_SCRIPT, '1', keys.claim(key), owner, String(Math.max(1, Math.round(ttlMs)))];
}

export function closeIncidentCommand(keys: KeySpace, testId: string, resolvedAt: number): Command {
  return [
    'EVAL',
    CLOSE_INCIDENT_SCRIPT,
    '2',
    keys.incident(testId),
    keys.incidents(),
    String(resolvedAt),
    testId,
    keys.prefix,
    String(resolvedAt - INCIDENT_HISTORY_MS),
    String(INCIDENT_HISTORY_MS),
  ];
}
