/**
 * Run records and their files (issue 29) over the main store's transport. One script saves a run's
 * record and files and trims, in the same round trip, the test's records to their count, and the
 * test's and the repository's files to their byte caps, oldest first: storage stays bounded
 * whatever the failure rate, and a crash between two commands cannot leave it over a cap.
 */
import {
  RUN_FILE_LIMITS,
  type RunFiles,
  type RunRecord,
  type RunRecordStore,
} from '../../core/run/run-record.js';
import type { KeySpace } from './keys.js';
import type { RedisStore } from './redis-store.js';
import type { Reply, Transport } from './transport.js';

/*
 * KEYS: 1 record, 2 records index, 3 files, 4 test files index, 5 repo files index.
 * ARGV: 1 record JSON, 2 run id, 3 started at, 4 record TTL, 5 records per test, 6 file TTL, 7 now,
 *       8 test cap, 9 repo cap, 10 test id, 11 record key prefix (…run:{id}:), 12 files key base
 *       (…runfiles:), 13.. field/value pairs of the files.
 * Members carry their byte size (`runId|bytes`), so trimming never reads the files themselves.
 */
const SAVE_RUN_SCRIPT = `
local now = tonumber(ARGV[7])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[4]))
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  for _, rid in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do redis.call('DEL', ARGV[11] .. rid) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local base = ARGV[12]
local bytes = 0
if #ARGV > 12 then
  for i = 13, #ARGV, 2 do bytes = bytes + #ARGV[i + 1] end
  redis.call('HSET', KEYS[3], unpack(ARGV, 13))
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
  redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2] .. '|' .. bytes)
  redis.call('ZADD', KEYS[5], ARGV[3], ARGV[10] .. '|' .. ARGV[2] .. '|' .. bytes)
end
local oldest = now - tonumber(ARGV[6])
-- Newest first: keep members while they fit, drop the rest (and their files).
local function trim(index, cap, drop)
  local total = 0
  local members = redis.call('ZREVRANGE', index, 0, -1, 'WITHSCORES')
  for i = 1, #members, 2 do
    local m, score = members[i], tonumber(members[i + 1])
    local size = tonumber(string.match(m, '|(%d+)$')) or 0
    if score >= oldest and total + size <= cap then
      total = total + size
    else
      redis.call('ZREM', index, m)
      drop(m)
    end
  end
  return total
end
local testId = ARGV[10]
local testBytes = trim(KEYS[4], tonumber(ARGV[8]), function(m)
  local rid = string.match(m, '^([^|]+)|')
  redis.call('DEL', base .. testId .. ':' .. rid)
  redis.call('ZREM', KEYS[5], testId .. '|' .. m)
end)
local repoBytes = trim(KEYS[5], tonumber(ARGV[9]), function(m)
  local tid, rid, size = string.match(m, '^([^|]+)|([^|]+)|(%d+)$')
  if tid then
    redis.call('DEL', base .. tid .. ':' .. rid)
    redis.call('ZREM', base .. tid, rid .. '|' .. size)
  end
end)
redis.call('PEXPIRE', KEYS[4], ARGV[6])
redis.call('PEXPIRE', KEYS[5], ARGV[6])
return {testBytes, repoBytes}
`;

export interface RunStoreLimits {
  recordsPerTest: number;
  recordTtlMs: number;
  fileTtlMs: number;
  perTestBytes: number;
  perRepoBytes: number;
}

export class RedisRunStore implements RunRecordStore {
  constructor(
    private readonly transport: Transport,
    private readonly keys: KeySpace,
    private readonly now: () => number,
    private readonly limits: RunStoreLimits = RUN_FILE_LIMITS,
  ) {}

  async saveRun(
    repo: string,
    record: RunRecord,
    files: RunFiles,
  ): Promise<{ testBytes: number; repoBytes: number }> {
    const { testId, runId } = record;
    const fields: string[] = [];
    for (const [i, shot] of files.shots.entries()) fields.push(`shot:${i}`, shot.jpegBase64);
    if (files.traceBase64) fields.push('trace', files.traceBase64);
    const l = this.limits;
    const reply = await this.transport.command('save run record', [
      'EVAL',
      SAVE_RUN_SCRIPT,
      '5',
      this.keys.run(testId, runId),
      this.keys.runs(testId),
      this.keys.runFiles(testId, runId),
      this.keys.runFilesIndex(testId),
      this.keys.repoRunFiles(repo),
      JSON.stringify(record),
      runId,
      String(record.startedAt),
      String(l.recordTtlMs),
      String(l.recordsPerTest),
      String(l.fileTtlMs),
      String(this.now()),
      String(l.perTestBytes),
      String(l.perRepoBytes),
      testId,
      this.keys.run(testId, ''),
      this.keys.runFiles('', '').slice(0, -1),
      ...fields,
    ]);
    const [testBytes, repoBytes] = Array.isArray(reply) ? reply.map(Number) : [0, 0];
    return { testBytes: testBytes ?? 0, repoBytes: repoBytes ?? 0 };
  }

  async getRun(testId: string, runId: string): Promise<RunRecord | null> {
    const reply = await this.transport.command('read run record', ['GET', this.keys.run(testId, runId)]);
    if (typeof reply !== 'string') return null;
    try {
      const record = JSON.parse(reply) as RunRecord;
      return record && record.runId === runId && Array.isArray(record.steps) ? record : null;
    } catch {
      return null;
    }
  }

  getShot(testId: string, runId: string, index: number): Promise<string | null> {
    return this.field(testId, runId, `shot:${index}`);
  }

  getTrace(testId: string, runId: string): Promise<string | null> {
    return this.field(testId, runId, 'trace');
  }

  private async field(testId: string, runId: string, field: string): Promise<string | null> {
    const reply: Reply = await this.transport.command('read run file', [
      'HGET',
      this.keys.runFiles(testId, runId),
      field,
    ]);
    return typeof reply === 'string' ? reply : null;
  }
}

/** The run records' store on the same connection and prefix as `store`. */
export function createRunStore(store: RedisStore, now: () => number = Date.now): RedisRunStore {
  return new RedisRunStore(store.transport, store.keys, now);
}
