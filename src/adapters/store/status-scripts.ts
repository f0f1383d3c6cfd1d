/**
 * The Lua scripts behind the public reads, each one Redis command however much it reads (Upstash
 * bills per command, and EVAL counts as one):
 * - the page's head: settings, test ids, incident history and a version of everything the page
 *   shows, so a page the client already holds is answered 304 after this one command;
 * - a page's tests, ten per script: definition, newest results, incident, the last 7 days of hours
 *   and the older hours of the window summed inside Redis (a 100-test page read 4.6 MB before);
 * - a badge: the settings' `public`, the test's repository, its incident status, the status of its
 *   newest conclusive run and the sum of one window, a few hundred bytes.
 *
 * Key names come from keys.ts as templates (`before..id..after`): the scripts build the per-test keys
 * from the ids they read, as the close script builds the history's key from the record's repo.
 */
import type { KeySpace } from './keys.js';
import { HOUR_SUM_LUA } from './rollup-sums.js';
import type { Command } from './transport.js';

/** Tests read per page script: the budget is 1 command per 10 tests. */
export const TESTS_PER_SCRIPT = 10;

const ID = '\u0000';

/** `before`, `after` of a per-test key: `keys.results(id)` is `before .. id .. after`. */
function template(key: (id: string) => string): [string, string] {
  const [before = '', after = ''] = key(ID).split(ID);
  return [before, after];
}

/** ARGV[1..8]: the test, results, incident and stats key templates. */
function templates(keys: KeySpace): string[] {
  return [keys.test, keys.results, keys.incident, keys.stats].flatMap((k) => template(k));
}

const KEY_LUA = `
local function key(n, id) return ARGV[2 * n - 1] .. id .. ARGV[2 * n] end
local TEST, RESULTS, INCIDENT, STATS = 1, 2, 3, 4
`;

/**
 * KEYS[1] settings hash, KEYS[2] the repository's test-id set, KEYS[3] its incident history;
 * ARGV[1..8] key templates, ARGV[9] history from (epoch ms), ARGV[10] '1' to read a private one.
 * Answers {settings, ids, history, version}; a private repository answers only its settings.
 * The version is a SHA-1 over, per test, its content hash, sync time, result count, newest result
 * and incident record: a run, a sync or an incident change moves it.
 */
const HEAD_SCRIPT = `${KEY_LUA}
local settings = redis.call('HGETALL', KEYS[1])
local public = redis.call('HGET', KEYS[1], 'public')
if public ~= '1' and ARGV[10] ~= '1' then return { settings, {}, {}, '' } end
local ids = redis.call('SMEMBERS', KEYS[2])
table.sort(ids)
local history = redis.call('ZREVRANGEBYSCORE', KEYS[3], '+inf', ARGV[9])
local parts = {}
for _, id in ipairs(ids) do
  local t = redis.call('HMGET', key(TEST, id), 'content_hash', 'updated_at')
  local newest = redis.call('ZREVRANGE', key(RESULTS, id), 0, 0)[1] or ''
  local incident = table.concat(redis.call('HGETALL', key(INCIDENT, id)), '\\0')
  parts[#parts + 1] = table.concat({ id, t[1] or '', t[2] or '',
    redis.call('ZCARD', key(RESULTS, id)), newest, incident }, '\\1')
end
return { settings, ids, history, redis.sha1hex(table.concat(parts, '\\2')) }`;

/**
 * ARGV[1..8] key templates, ARGV[9] newest results per test, ARGV[10] first hour of the window,
 * ARGV[11] first hour read one by one, ARGV[12] last hour, ARGV[13..] the test ids. Answers per id
 * {test hash, newest results, incident hash, packed sum of hours ARGV[10]..ARGV[11]-1, hours
 * ARGV[11]..ARGV[12] as HMGET gives them}.
 */
const TESTS_SCRIPT = `${KEY_LUA}${HOUR_SUM_LUA}
local recent = tonumber(ARGV[9])
local from, detail, to = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local older, recentFields = {}, {}
for h = from, detail - 1 do older[#older + 1] = string.format('%d', h) end
for h = detail, to do recentFields[#recentFields + 1] = string.format('%d', h) end
local answer = {}
for i = 13, #ARGV do
  local id = ARGV[i]
  local stats = key(STATS, id)
  local sum = hour_acc()
  if #older > 0 then
    for _, v in ipairs(redis.call('HMGET', stats, unpack(older))) do
      if v then hour_add(sum, v) end
    end
  end
  local hours = {}
  if #recentFields > 0 then hours = redis.call('HMGET', stats, unpack(recentFields)) end
  local results = {}
  if recent > 0 then results = redis.call('ZREVRANGE', key(RESULTS, id), 0, recent - 1) end
  answer[#answer + 1] = { redis.call('HGETALL', key(TEST, id)), results,
    redis.call('HGETALL', key(INCIDENT, id)), hour_pack(sum), hours }
end
return answer`;

/**
 * KEYS[1] settings hash, KEYS[2] test hash, KEYS[3] results, KEYS[4] incident, KEYS[5] stats;
 * ARGV[1] newest results to look through, ARGV[2]/ARGV[3] the window's hours ('' for none).
 * Answers {public, test's repo, incident status, newest conclusive status, packed window sum};
 * a repository that is not public answers {'0'} and reads nothing of the test, unless ARGV[4] is '1'
 * (includePrivate: `housecat up`'s own operator).
 */
const BADGE_SCRIPT = `${HOUR_SUM_LUA}
if ARGV[4] ~= '1' and redis.call('HGET', KEYS[1], 'public') ~= '1' then return { '0' } end
local repo = redis.call('HGET', KEYS[2], 'repo')
if not repo then return { '1' } end
local incident = ''
if redis.call('EXISTS', KEYS[4]) == 1 then incident = redis.call('HGET', KEYS[4], 'status') or 'open' end
local last = ''
for _, member in ipairs(redis.call('ZREVRANGE', KEYS[3], 0, tonumber(ARGV[1]) - 1)) do
  local ok, run = pcall(cjson.decode, member)
  if ok and type(run) == 'table' and (run.status == 'passed' or run.status == 'failed') then
    last = run.status
    break
  end
end
local sum = hour_acc()
if ARGV[2] ~= '' then
  local fields = {}
  for h = tonumber(ARGV[2]), tonumber(ARGV[3]) do fields[#fields + 1] = string.format('%d', h) end
  if #fields > 0 then
    for _, v in ipairs(redis.call('HMGET', KEYS[5], unpack(fields))) do
      if v then hour_add(sum, v) end
    end
  end
end
return { '1', repo, incident, last, hour_pack(sum) }`;

/** The page's head: one command. */
export function headCommand(
  keys: KeySpace,
  repo: string,
  options: { historyFrom: number; includePrivate: boolean },
): Command {
  return [
    'EVAL',
    HEAD_SCRIPT,
    '3',
    keys.repoStatus(repo),
    keys.repoTests(repo),
    keys.incidentHistory(repo),
    ...templates(keys),
    String(options.historyFrom),
    options.includePrivate ? '1' : '0',
  ];
}

/** One command per {@link TESTS_PER_SCRIPT} ids. */
export function testsCommands(
  keys: KeySpace,
  ids: readonly string[],
  options: { recent: number; fromHour: number; detailFromHour: number; toHour: number },
): Command[] {
  const commands: Command[] = [];
  for (let i = 0; i < ids.length; i += TESTS_PER_SCRIPT) {
    commands.push([
      'EVAL',
      TESTS_SCRIPT,
      '0',
      ...templates(keys),
      String(Math.max(0, Math.floor(options.recent))),
      String(options.fromHour),
      String(options.detailFromHour),
      String(options.toHour),
      ...ids.slice(i, i + TESTS_PER_SCRIPT),
    ]);
  }
  return commands;
}

/** A badge: one command. */
export function badgeCommand(
  keys: KeySpace,
  repo: string,
  id: string,
  options: { recent: number; window?: { fromHour: number; toHour: number }; includePrivate?: boolean },
): Command {
  return [
    'EVAL',
    BADGE_SCRIPT,
    '5',
    keys.repoStatus(repo),
    keys.test(id),
    keys.results(id),
    keys.incident(id),
    keys.stats(id),
    String(Math.max(1, Math.floor(options.recent))),
    options.window ? String(options.window.fromHour) : '',
    options.window ? String(options.window.toHour) : '',
    options.includePrivate ? '1' : '0',
  ];
}
