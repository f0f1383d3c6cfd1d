/**
 * `incidents:history:{owner/name}`: a repository's resolved incidents, kept {@link INCIDENT_HISTORY_DAYS}
 * days. `incident:{id}` holds only a test's latest incident (the next one replaces it), so the close
 * script appends the record it resolves here, in the same script: the history and the record can never
 * disagree. The member is built in Lua from the hash itself, field by field in a fixed order, so the
 * outbox can rebuild the same member later to add an issue number that arrived after the close.
 */
import type { PastIncident } from '../../core/ports.js';
import { INCIDENT_HISTORY_DAYS } from './keys.js';
import type { Reply } from './transport.js';

// Not commands.ts's DAY_MS: commands.ts imports this module, and a cycle would leave one undefined.
export const INCIDENT_HISTORY_MS = INCIDENT_HISTORY_DAYS * 86_400_000;

/**
 * Lua helpers prepended to the scripts that touch the history. `history_key` must name the key
 * `keys.incidentHistory` names (prefix + lower-cased repo); the repo comes from the record, because
 * the close is given only a test id. Numbers are copied as the digits stored in the hash (Lua 5.1
 * would print epoch ms in exponent form).
 */
export const HISTORY_LUA = `
local HISTORY_FIELDS = {'test_id', 'since', 'resolved_at', 'issue_number', 'kind', 'last_reason', 'repo'}
local function history_fields(key) return redis.call('HMGET', key, unpack(HISTORY_FIELDS)) end
local function digits(v)
  if type(v) == 'string' and string.match(v, '^%d+$') then return v end
  return 'null'
end
local function text(v)
  if type(v) == 'string' then return cjson.encode(v) end
  return '""'
end
local function history_key(prefix, f)
  if type(f[7]) ~= 'string' or f[7] == '' then return nil end
  return prefix .. 'incidents:history:' .. string.lower(f[7])
end
local function history_entry(f)
  return '{"testId":' .. text(f[1]) .. ',"since":' .. digits(f[2]) .. ',"resolvedAt":' .. digits(f[3]) ..
    ',"issueNumber":' .. digits(f[4]) .. ',"kind":' .. text(f[5]) .. ',"lastReason":' .. text(f[6]) .. '}'
end
`;

interface Entry {
  testId?: unknown;
  since?: unknown;
  resolvedAt?: unknown;
  issueNumber?: unknown;
  kind?: unknown;
  lastReason?: unknown;
}

/** One history member; `null` for a member HouseCat did not write. */
export function decodePastIncident(member: string): PastIncident | null {
  let entry: Entry;
  try {
    entry = JSON.parse(member) as Entry;
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null) return null;
  const { testId, since, resolvedAt, issueNumber, kind, lastReason } = entry;
  if (typeof testId !== 'string' || typeof since !== 'number' || typeof resolvedAt !== 'number') return null;
  const past: PastIncident = {
    testId,
    since,
    resolvedAt,
    lastReason: typeof lastReason === 'string' ? lastReason : '',
  };
  if (typeof issueNumber === 'number') past.issueNumber = issueNumber;
  if (kind === 'missed') past.kind = 'missed';
  return past;
}

/** ZREVRANGEBYSCORE's reply (newest first), members HouseCat did not write left out. */
export function decodePastIncidents(reply: Reply): PastIncident[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter((m): m is string => typeof m === 'string')
    .map(decodePastIncident)
    .filter((p): p is PastIncident => p !== null);
}
