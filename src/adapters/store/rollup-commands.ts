/**
 * The Redis side of hourly rollups (`stats:{id}:h`). One EVAL, queued in recordRun's MULTI ahead of
 * the result's ZADD, adds the run to its hour; so the rollups and `results:{id}` change together or
 * not at all. The packed format is core/status/rollup.ts's `packHour`; the script writes it the same way.
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
 * response buckets, lateness buckets (core/status/rollup.ts's packHour).
 *
 * The run counts only when its results member is not stored yet: a resent transaction (the REST
 * client retries after a lost answer) adds nothing twice, exactly like the ZADD it precedes. The
 * A run older than the retention is not counted (its ZADD is trimmed at once). The
 * first run of a new hour also deletes hours that lie wholly before the retention.
 */
export const ROLLUP_SCRIPT = `
if tonumber(ARGV[1]) < tonumber(ARGV[5]) then return 0 end
if redis.call('ZSCORE', KEYS[2], ARGV[4]) then return 0 end
local old = redis.call('HGET', KEYS[1], ARGV[1])
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
local s = tonumber(ARGV[2]) + 1
counts[s] = counts[s] + 1
local bucket = tonumber(ARGV[3])
if bucket >= 0 then hist[bucket] = (hist[bucket] or 0) + 1 end
local lbucket = tonumber(ARGV[7] or '-1')
if lbucket >= 0 then late[lbucket] = (late[lbucket] or 0) + 1 end
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
redis.call('HSET', KEYS[1], ARGV[1], value)
if not old then
  local oldest = tonumber(ARGV[5])
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    local hour = tonumber(field)
    if hour and hour < oldest then redis.call('HDEL', KEYS[1], field) end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1`;

/** The oldest hour still (partly) inside the retention at `now`. */
export function oldestKeptHour(limits: { retentionMs: number }, now: number): number {
  return Math.floor((now - limits.retentionMs) / HOUR_MS);
}

/** The EVAL that adds `result` to its hour; queue it before the results ZADD. */
export function rollupCommand(
  keys: KeySpace,
  limits: { retentionMs: number },
  result: RunResult,
  now: number,
): Command {
  const ms = responseOf(result);
  const late = latenessOf(result);
  return [
    'EVAL',
    ROLLUP_SCRIPT,
    '2',
    keys.stats(result.testId),
    keys.results(result.testId),
    String(hourOf(result.startedAt)),
    String(STATUS_ORDER.indexOf(result.status)),
    String(ms === undefined ? -1 : bucketOf(ms)),
    encodeResult(result),
    String(oldestKeptHour(limits, now)),
    String(limits.retentionMs),
    String(late === undefined ? -1 : bucketOf(late, LATENESS_EDGES_MS)),
  ];
}
