/**
 * The shared sliding-window limiter as Redis commands: one Lua script takes a slot only if every
 * window has room, timed by Redis's own clock (`TIME`), so replicas with drifting clocks still
 * agree. Keys: `ratelimit:{name}` (sorted set of slots, score = ms, expires after the longest
 * window) and `ratelimit:{name}:pause` (a string with a TTL).
 */
import type { RateWindow } from '../../core/limits/ports.js';
import type { Command } from './transport.js';

/**
 * KEYS[1] slots, KEYS[2] pause; ARGV[1] slot id, ARGV[2] longest window ms, then max/ms pairs.
 * Returns 0 when the slot was taken, else the ms to wait.
 */
export const TAKE_SLOT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = redis.call('PTTL', KEYS[2])
if wait < 0 then wait = 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
for i = 3, #ARGV, 2 do
  local max = tonumber(ARGV[i])
  local ms = tonumber(ARGV[i + 1])
  local count = redis.call('ZCOUNT', KEYS[1], '(' .. (now - ms), '+inf')
  if count >= max then
    local leaving = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - ms), '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
    local w = tonumber(leaving[2]) + ms - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.ceil(wait) end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

/** KEYS[1] slots; ARGV[1] slot id. Moves the slot to now, if it is still there. */
export const REDATE_SLOT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])`;

/** KEYS[1] pause; ARGV[1] ms. Extends the pause, never shortens it. */
export const PAUSE_SCRIPT = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1`;

export function takeSlotCommand(
  key: string,
  pauseKey: string,
  slot: string,
  windows: readonly RateWindow[],
): Command {
  const longest = Math.max(...windows.map((w) => w.ms));
  return [
    'EVAL',
    TAKE_SLOT_SCRIPT,
    '2',
    key,
    pauseKey,
    slot,
    String(longest),
    ...windows.flatMap((w) => [String(w.max), String(w.ms)]),
  ];
}

export function redateSlotCommand(key: string, slot: string): Command {
  return ['EVAL', REDATE_SLOT_SCRIPT, '1', key, slot];
}

export function pauseCommand(pauseKey: string, ms: number): Command {
  return ['EVAL', PAUSE_SCRIPT, '1', pauseKey, String(Math.max(1, Math.round(ms)))];
}
