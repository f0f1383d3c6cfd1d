/**
 * A scheduled delivery's two Lua scripts (the port is core/scheduling/delivery-store.ts). Each is
 * one EVAL, one command on Upstash's bill, and atomic:
 *
 * - CLAIM: the token once, the message's first arrival, the test, the message's lease and the test's
 *   run lock, and what the run will need after it (the incident record and a fingerprint of it, the
 *   newest results, the outbox queue only when it is not empty);
 * - RECORD: the result, timing, hourly rollup and lateness, the events not yet written, retention
 *   (on the first run of an hour only), the incident decision with its outbox work (a generic list of
 *   items, any kind), the message settled `done`, the run lock released; it answers how many tests
 *   have GitHub work waiting, so an empty outbox costs nothing to check.
 *
 * The decision is written only when the incident record is still the one the claim read and no other
 * evaluation holds the incident lock (the run's own hold of it, while it read GitHub, is released); otherwise the script records the run without it and says
 * `stale`, and the use case evaluates again the long way.
 */
import { CLOSE_INCIDENT_LUA } from './commands.js';
import { ROLLUP_LUA } from './rollup-commands.js';

/** Lua: a fingerprint of a hash's fields, independent of their order. */
const VERSION_LUA = `
local function version_of(fields)
  if #fields == 0 then return 'none' end
  local parts = {}
  for i = 1, #fields, 2 do parts[#parts + 1] = fields[i] .. '=' .. fields[i + 1] end
  table.sort(parts)
  return redis.sha1hex(table.concat(parts, '\\n'))
end
`;

/**
 * KEYS: token claim, arrival, message claim, run lock, test hash, incident hash, results zset,
 * outbox queue. ARGV: owner, arrived at, token TTL, message TTL, min lease, max lease, history
 * limit, done value. Replies `{kind, first arrival, test fields, lease, incident fields, version,
 * history members, pending items}` (as far as the kind needs).
 */
export const CLAIM_DELIVERY_SCRIPT = `${VERSION_LUA}
local owner = ARGV[1]
local token = redis.call('GET', KEYS[1])
if token and token ~= owner then return {'token-used'} end
if not token then redis.call('SET', KEYS[1], owner, 'PX', ARGV[3]) end
local first = redis.call('GET', KEYS[2])
if not first then
  first = ARGV[2]
  redis.call('SET', KEYS[2], first, 'PX', ARGV[4])
end
local test = redis.call('HGETALL', KEYS[5])
if #test == 0 then return {'missing', first} end
local lease = tonumber(ARGV[6])
local ok, def = pcall(cjson.decode, redis.call('HGET', KEYS[5], 'definition') or '')
if ok and type(def) == 'table' and tonumber(def.timeout) then
  lease = math.min(tonumber(ARGV[6]), math.max(tonumber(ARGV[5]), tonumber(def.timeout) * 1000))
end
local state = redis.call('GET', KEYS[3])
if state and state ~= owner then
  if state == ARGV[8] then return {'done', first, test, lease} end
  return {'running', first, test, lease}
end
local lock = redis.call('GET', KEYS[4])
if lock and lock ~= owner then return {'busy', first, test, lease} end
redis.call('SET', KEYS[3], owner, 'PX', lease)
redis.call('SET', KEYS[4], owner, 'PX', lease)
local incident = redis.call('HGETALL', KEYS[6])
local history = redis.call('ZREVRANGEBYSCORE', KEYS[7], '+inf', '-inf', 'LIMIT', 0, ARGV[7])
local pending = {}
if redis.call('LLEN', KEYS[8]) > 0 then pending = redis.call('LRANGE', KEYS[8], 0, -1) end
return {'claimed', first, test, lease, incident, version_of(incident), history, pending}`;

/**
 * KEYS: stats, results, timing, events, message claim, run lock, incident hash, incidents list,
 * outbox queue, outbox zset, incident lock. ARGV is read in order by `arg()` (see recordArgs in
 * delivery-commands.ts). Replies `{incident: 'applied'|'stale'|'none'|'dup', tests in the outbox}`.
 */
export const RECORD_DELIVERY_SCRIPT = `${VERSION_LUA}${ROLLUP_LUA}${CLOSE_INCIDENT_LUA}
local at = 0
local function arg() at = at + 1; return ARGV[at] end
local now, member, score, timing = arg(), arg(), arg(), arg()
local hour, status, bucket, oldest, ttl, lbucket, cutoff, cap = arg(), arg(), arg(), arg(), arg(), arg(), arg(), arg()
local owner, settle, settle_ttl = arg(), arg(), arg()
if redis.call('ZSCORE', KEYS[2], member) then
  return {'dup', redis.call('ZCARD', KEYS[10])}
end
local counted = rollup(KEYS[1], KEYS[2], hour, status, bucket, member, oldest, ttl, lbucket)
redis.call('ZADD', KEYS[2], score, member)
redis.call('ZADD', KEYS[3], score, timing)
local events = tonumber(arg())
for _ = 1, events do
  local n = tonumber(arg())
  local fields = {}
  for i = 1, n do fields[i] = arg() end
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', cap, '*', unpack(fields))
end
if counted == 2 or redis.call('PTTL', KEYS[2]) < 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ttl) end
end
redis.call('SET', KEYS[5], settle, 'PX', settle_ttl)
if redis.call('GET', KEYS[6]) == owner then redis.call('DEL', KEYS[6]) end
local mode, expected = arg(), arg()
local applied = 'none'
local incident_lock = redis.call('GET', KEYS[11])
if incident_lock == owner then redis.call('DEL', KEYS[11]) end
if mode ~= 'skip' then
  if (incident_lock and incident_lock ~= owner) or version_of(redis.call('HGETALL', KEYS[7])) ~= expected then
    applied = 'stale'
  else
    applied = 'applied'
    local test_id = arg()
    if mode == 'save' then
      local n = tonumber(arg())
      local fields = {}
      for i = 1, n do fields[i] = arg() end
      local active = arg()
      redis.call('DEL', KEYS[7])
      redis.call('HSET', KEYS[7], unpack(fields))
      redis.call('LREM', KEYS[8], 0, test_id)
      if active == '1' then redis.call('RPUSH', KEYS[8], test_id) end
    elseif mode == 'close' then
      local resolved_at, prefix, history_cutoff, history_ttl = arg(), arg(), arg(), arg()
      close_incident(KEYS[7], KEYS[8], resolved_at, test_id, prefix, history_cutoff, history_ttl)
    end
    local items = tonumber(arg())
    if items > 0 then
      local list = {}
      for i = 1, items do list[i] = arg() end
      redis.call('RPUSH', KEYS[9], unpack(list))
      redis.call('ZADD', KEYS[10], 'NX', now, test_id)
    end
    -- Alerts: each channel's queue (key, outbox member, items), named by the caller.
    for _ = 1, tonumber(arg()) do
      local queue, member, n = arg(), arg(), tonumber(arg())
      local list = {}
      for i = 1, n do list[i] = arg() end
      redis.call('RPUSH', queue, unpack(list))
      redis.call('ZADD', KEYS[10], 'NX', now, member)
    end
  end
end
return {applied, redis.call('ZCARD', KEYS[10])}`;

/** KEYS: message claim, run lock; ARGV owner, lease. Renews both while both are the owner's. */
export const RENEW_DELIVERY_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/** KEYS: message claim, run lock, incident lock; ARGV owner. Deletes whichever the owner still holds. */
export const RELEASE_DELIVERY_SCRIPT = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1`;
