/**
 * Sums of a test's hourly rollups over ranges of hours, computed inside Redis: the dashboard's test
 * page gets one packed hour per range (the format of core/status/rollup.ts's `packHour`) instead of
 * 720 hours, so the bytes it reads stay the same for a day of history and for a month. The script
 * only adds counts; uptime and percentiles are still computed by core/status/rollup.ts.
 */
import type { HourCounts } from '../../core/status/rollup.js';
import { emptyHour } from '../../core/status/rollup.js';
import { unpackHour } from './rollup-packing.js';
import type { Command, Reply } from './transport.js';

/**
 * Lua helpers shared by every script that adds packed hours (this one and status-scripts.ts):
 * `hour_acc()` makes an empty sum, `hour_add(acc, v)` adds one packed hour, `hour_pack(acc)` packs the
 * sum back ('' when nothing was added). One copy, so the packing has one reader in Lua.
 */
export const HOUR_SUM_LUA = `
local function hour_acc() return { c = { 0, 0, 0, 0 }, r = {}, l = {}, any = false } end
local function hour_add(acc, v)
  acc.any = true
  local section = 0
  for part in string.gmatch(v .. '|', '([^|]*)|') do
    section = section + 1
    if section == 1 then
      local i = 0
      for c in string.gmatch(part, '%d+') do
        i = i + 1
        acc.c[i] = acc.c[i] + tonumber(c)
      end
    else
      local t = section == 2 and acc.r or acc.l
      for b, c in string.gmatch(part, '(%d+):(%d+)') do
        local k = tonumber(b)
        t[k] = (t[k] or 0) + tonumber(c)
      end
    end
  end
end
local function hour_section(t)
  local out = {}
  for k = 0, 63 do
    if t[k] and t[k] > 0 then out[#out + 1] = k .. ':' .. t[k] end
  end
  return table.concat(out, ',')
end
local function hour_pack(acc)
  if not acc.any then return '' end
  local head = table.concat(acc.c, ',')
  local r, l = hour_section(acc.r), hour_section(acc.l)
  if l ~= '' then return head .. '|' .. r .. '|' .. l end
  if r ~= '' then return head .. '|' .. r end
  return head
end
`;

/**
 * KEYS[1] the stats hash; ARGV[1] the number of ranges, then fromHour/toHour per range. Answers one
 * packed sum per range, '' for a range without a stored hour.
 */
const SUM_SCRIPT = `${HOUR_SUM_LUA}
local n = tonumber(ARGV[1])
local lo, hi = nil, nil
for i = 1, n do
  local a, b = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  if lo == nil or a < lo then lo = a end
  if hi == nil or b > hi then hi = b end
end
if n == 0 or hi < lo then return {} end
local fields = {}
for h = lo, hi do fields[#fields + 1] = string.format('%d', h) end
local values = redis.call('HMGET', KEYS[1], unpack(fields))
local answer = {}
for i = 1, n do
  local a, b = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local acc = hour_acc()
  for h = a, b do
    local v = values[h - lo + 1]
    if v then hour_add(acc, v) end
  end
  answer[i] = hour_pack(acc)
end
return answer`;

/** The EVAL that sums `statsKey` over `ranges` (whole hours since the epoch, inclusive). */
export function sumHoursCommand(
  statsKey: string,
  ranges: readonly { fromHour: number; toHour: number }[],
): Command {
  return [
    'EVAL',
    SUM_SCRIPT,
    '1',
    statsKey,
    String(ranges.length),
    ...ranges.flatMap((r) => [String(r.fromHour), String(r.toHour)]),
  ];
}

/** The sums answered by {@link sumHoursCommand}, one per range; an unreadable or empty one is an empty hour. */
export function decodeHourSums(reply: Reply, count: number): HourCounts[] {
  const values = Array.isArray(reply) ? reply : [];
  return Array.from({ length: count }, (_, i) => {
    const value = values[i];
    return typeof value === 'string' && value !== '' ? (unpackHour(value) ?? emptyHour()) : emptyHour();
  });
}
