/**
 * The Redis side of hourly rollups (`stats:{id}:h`). One EVAL, queued in recordRun's MULTI ahead of
 * the result's ZADD, adds the run to its hour; so the rollups and `results:{id}` change together or
 * not at all. The packed format is rollup-packing.ts's `packHour`; the script writes it the same way.
 */
import {
  bucketOf,
  HOUR_MS,
  hourOf,
  LATENESS_EDGES_MS,
  latenessOf,
  responseOf,
  STATUS_ORDER,
} from '../../core/status/rollup.js';
import type { RunResult } from '../../core/types.js';
import { encodeResult } from './codec.js';
import type { KeySpace } from './keys.js';
import type { Command } from './transport.js';

/**
 * KEYS[1] stats hash, KEYS[2] results zset; ARGV hour field, status index (0-based, STATUS_ORDER),
 * bucket index (-1: no response time), results member, oldest hour kept, TTL ms, lateness bucket
 * index (-1: not a scheduled run). The value has up to three `|`-separated sections: counts,
 * response buckets, lateness buckets (rollup-packing.ts's packHour).
 *
 * `rollup` answers 0 when the run was not counted, 1 when it was, 2 when it was the first run of its
 * hour (the record script trims retention then: once an hour per test, not on every run).
 *
 * The run counts only when its results member is not stored yet: a resent transaction (the REST
 * client retries after a lost answer) adds nothing twice, exactly like the ZADD it precedes. The
 * A run older than the retention is not counted (its ZADD is trimmed at once). The
 * first run of a new hour also deletes hours that lie wholly before the retention.
 */
export const ROLLUP_LUA = `
local function rollup(stats_key, results_key, hour, status, bucket, member, oldest, ttl, lbucket)
  if tonumber(hour) < tonumber(oldest) then return 0 end
  if redis.call('ZSCORE', results_key, member) then return 0 end
  local old = redis.call('HGET', stats_key, hour)
  local counts = {0, 0, 0, 0}
  local hist = {}
  local late = {}
  if old then
    local head, resp, lsec = string.match(old, '^([^|]*)|?([^|]*)|?(.*)$')
    local i = 1
    for n in string.gmatch(head, '%d+') do counts[i] = tonumber(n); i = i + 1 end
    for b, c in string.gmatch(resp, '(%d+):(%d+)') do hist[tonumber(b)] = tonumber(c) end
    for b, c in string.gmatch(lsec, '(%d+):(%d+)') do late[tonumber(b)] = tonumber(c) end
  end
  local s = tonumber(status) + 1
  counts[s] = counts[s] + 1
  local rb = tonumber(bucket)
  if rb >= 0 then hist[rb] = (hist[rb] or 0) + 1 end
  local lb = tonumber(lbucket or '-1')
  if lb >= 0 then late[lb] = (late[lb] or 0) + 1 end
  local function section(t)
    local parts = {}
    for b = 0, 63 do
      if t[b] then parts[#parts + 1] = string.format('%d:%d', b, t[b]) end
    end
    return table.concat(parts, ',')
  end
  local value = string.format('%d,%d,%d,%d', counts[1], counts[2], counts[3], counts[4])
  local rs, ls = section(hist), section(late)
  if ls ~= '' then value = value .. '|' .. rs .. '|' .. ls
  elseif rs ~= '' then value = value .. '|' .. rs end
  redis.call('HSET', stats_key, hour, value)
  redis.call('PEXPIRE', stats_key, ttl)
  if old then return 1 end
  for _, field in ipairs(redis.call('HKEYS', stats_key)) do
    local h = tonumber(field)
    if h and h < tonumber(oldest) then redis.call('HDEL', stats_key, field) end
  end
  return 2
end
`;

/**
 * The rollup alone, as one EVAL (KEYS[1] stats hash, KEYS[2] results zset; ARGV in the order of
 * `rollup`'s parameters after the keys). The record script of a scheduled run calls `rollup` itself.
 */
export const ROLLUP_SCRIPT = `${ROLLUP_LUA}
return rollup(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])`;

/** The oldest hour still (partly) inside the retention at `now`. */
export function oldestKeptHour(limits: { retentionMs: number }, now: number): number {
  return Math.floor((now - limits.retentionMs) / HOUR_MS);
}

/**
 * `rollup`'s arguments about the run, as strings (all but the results member, whose place differs
 * between the rollup's own EVAL and the record script): hour, status index, response bucket, oldest
 * hour kept, TTL, lateness bucket.
 */
export function rollupFields(limits: { retentionMs: number }, result: RunResult, now: number) {
  const response = responseOf(result);
  const late = latenessOf(result);
  return {
    hour: String(hourOf(result.startedAt)),
    status: String(STATUS_ORDER.indexOf(result.status)),
    bucket: String(response === undefined ? -1 : bucketOf(response)),
    oldest: String(oldestKeptHour(limits, now)),
    ttl: String(limits.retentionMs),
    lateBucket: String(late === undefined ? -1 : bucketOf(late, LATENESS_EDGES_MS)),
  };
}

/** The EVAL that adds `result` to its hour; queue it before the results ZADD. */
export function rollupCommand(
  keys: KeySpace,
  limits: { retentionMs: number },
  result: RunResult,
  now: number,
): Command {
  const f = rollupFields(limits, result, now);
  return [
    'EVAL',
    ROLLUP_SCRIPT,
    '2',
    keys.stats(result.testId),
    keys.results(result.testId),
    f.hour,
    f.status,
    f.bucket,
    encodeResult(result),
    f.oldest,
    f.ttl,
    f.lateBucket,
  ];
}
