/**
 * The health of each alert channel (port: NotifyHealthStore in core/notify/ports.ts), for the
 * dashboard: hash `notify:health`, one field per channel name, value = JSON of ChannelHealth. One
 * small Lua script per record keeps the failure count right when replicas record at once. Bounded by
 * the number of channels an operator configures (plus names tests route to that are not configured).
 */
import { type ChannelHealth, type NotifyHealthStore, UNHEALTHY_AFTER } from '../../core/notify/ports.js';
import { clip, pairs } from './codec.js';
import type { Transport } from './transport.js';

/** KEYS health; ARGV channel, now, error ('' = success), unknown ('1'), given up ('1'), threshold. */
const RECORD_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local h = raw and cjson.decode(raw) or { failures = 0 }
h.channel = ARGV[1]
h.updatedAt = tonumber(ARGV[2])
if ARGV[3] == '' then
  h.state = 'ok'; h.failures = 0; h.lastOkAt = tonumber(ARGV[2]); h.lastError = nil
else
  h.failures = (tonumber(h.failures) or 0) + 1
  h.lastError = ARGV[3]
  if ARGV[4] == '1' then h.state = 'unknown'
  elseif ARGV[5] == '1' or h.failures >= tonumber(ARGV[6]) then h.state = 'failing'
  elseif h.state ~= 'failing' then h.state = 'ok' end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(h))
return h.failures`;

/** The health record of alert channels under the store's key prefix. */
export function createNotifyHealthStore(
  transport: Transport,
  prefix: string,
  now: () => number,
): NotifyHealthStore {
  const key = `${prefix}notify:health`;
  return {
    async record(channel, outcome) {
      await transport.command('record the health of an alert channel', [
        'EVAL',
        RECORD_SCRIPT,
        '1',
        key,
        channel,
        String(now()),
        outcome.error === undefined ? '' : clip(outcome.error, 300),
        outcome.unknown ? '1' : '',
        outcome.givenUp ? '1' : '',
        String(UNHEALTHY_AFTER),
      ]);
    },
    async read() {
      const fields = pairs(await transport.command('read the health of alert channels', ['HGETALL', key]));
      const out: ChannelHealth[] = [];
      for (const [, raw] of fields) {
        try {
          const h = JSON.parse(raw) as ChannelHealth;
          if (typeof h.channel === 'string') out.push(h);
        } catch {
          // a field written by hand: not shown
        }
      }
      return out.sort((a, b) => a.channel.localeCompare(b.channel));
    },
  };
}
