/**
 * Replay scripts in Redis: one hash `replay:{id}` per test, beside its other keys, over the same
 * transport as the main store (Upstash REST or TCP). Fields: `script` (JSON of the steps and the
 * evidence), `content_hash`, `model`, `recorded_at`, `last_verified_at`. The key expires after the
 * retention (HOUSECAT_RETENTION_DAYS) unless a replay verifies it again, so scripts of tests that
 * stopped running vanish on their own.
 */
import type { ReplayScript, ReplayStore } from '../../core/replay/index.js';
import { pairs } from './codec.js';
import type { RedisStore } from './redis-store.js';

/** What `script` holds: the recording without the fields kept as their own hash fields. */
type ScriptJson = Pick<ReplayScript, 'steps' | 'evidence'> & { format: 1 };

/** Reads a `replay:{id}` hash; null when missing or not written by HouseCat (it is then re-recorded). */
export function decodeReplay(testId: string, reply: Parameters<typeof pairs>[0]): ReplayScript | null {
  const fields = pairs(reply);
  if (fields.size === 0) return null;
  try {
    const json = JSON.parse(fields.get('script') ?? '') as ScriptJson;
    if (!Array.isArray(json.steps) || !Array.isArray(json.evidence?.textVisible)) return null;
    const script: ReplayScript = {
      testId,
      contentHash: fields.get('content_hash') ?? '',
      model: fields.get('model') ?? '',
      recordedAt: Number(fields.get('recorded_at') ?? 0),
      steps: json.steps,
      evidence: json.evidence,
    };
    const verified = Number(fields.get('last_verified_at'));
    if (fields.has('last_verified_at') && Number.isFinite(verified)) script.lastVerifiedAt = verified;
    return script;
  } catch {
    return null;
  }
}

/** Fields of the `replay:{id}` hash. */
export function encodeReplay(script: ReplayScript): string[] {
  const json: ScriptJson = { format: 1, steps: script.steps, evidence: script.evidence };
  const out = [
    'script',
    JSON.stringify(json),
    'content_hash',
    script.contentHash,
    'model',
    script.model,
    'recorded_at',
    String(script.recordedAt),
  ];
  if (script.lastVerifiedAt !== undefined) out.push('last_verified_at', String(script.lastVerifiedAt));
  return out;
}

/** The replay store over a Redis store's transport and key space. */
export function createRedisReplayStore(store: RedisStore): ReplayStore {
  const { transport, keys, limits } = store;
  const ttl = String(limits.retentionMs);
  return {
    where: `${transport.service} ${keys.replay('{id}')}`,
    async get(testId) {
      return decodeReplay(
        testId,
        await transport.command('read replay script', ['HGETALL', keys.replay(testId)]),
      );
    },
    async save(script) {
      const key = keys.replay(script.testId);
      // DEL first: a new recording must not inherit the old one's last_verified_at.
      await transport.transaction('save replay script', [
        ['DEL', key],
        ['HSET', key, ...encodeReplay(script)],
        ['PEXPIRE', key, ttl],
      ]);
    },
    async markVerified(testId, at) {
      const key = keys.replay(testId);
      // Only an existing script: HSET alone would create a hash without a script.
      await transport.command('mark replay verified', [
        'EVAL',
        "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'last_verified_at', ARGV[1]); return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
        '1',
        key,
        String(at),
        ttl,
      ]);
    },
    async clear(testIds) {
      if (testIds.length === 0) return 0;
      const reply = await transport.command('clear replay scripts', [
        'DEL',
        ...testIds.map((id) => keys.replay(id)),
      ]);
      return typeof reply === 'number' ? reply : Number(reply) || 0;
    },
  };
}
