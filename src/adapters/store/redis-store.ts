/**
 * The Store port over any transport. Both adapters (Upstash REST and TCP) are this class with a
 * different transport, so they share keys, encoding, commands and round-trip counts.
 */

import type { OutboxStore } from '../../core/incidents/outbox.js';
import type { RateWindow, SharedRateLimit } from '../../core/limits/ports.js';
import type {
  ClaimSettle,
  Clock,
  DeliveryStore,
  RangeQuery,
  Store,
  StoredEvent,
  StoredResult,
  StoredTest,
  StoredTiming,
} from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';

import type { WatchdogStore, WatchEntry } from '../../core/scheduling/ports.js';
import type { Incident, RunEvent, RunResult } from '../../core/types.js';
import {
  decodeEvents,
  decodeIncident,
  decodeResult,
  decodeTest,
  decodeTiming,
  memberScores,
  strings,
} from './codec.js';
import {
  applySyncCommands,
  claimCommand,
  closeIncidentCommand,
  DAY_MS,
  type Limits,
  recordRunCommands,
  releaseCommand,
  renewCommand,
  saveIncidentCommands,
  scoreRange,
  xaddEvents,
  zrevrange,
} from './commands.js';
import { createDeliveryStore } from './delivery-store.js';
import { claimNames, type KeySpace, keySpace } from './keys.js';
import { createOutboxStore } from './outbox-store.js';
import { pauseCommand, redateSlotCommand, takeSlotCommand } from './rate-limit.js';
import type { Reply, Transport } from './transport.js';
import { readWatchSnapshot } from './watch-snapshot.js';

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_EVENTS_CAP = 1000;

export interface StoreOptions {
  /** Key prefix (`HOUSECAT_REDIS_PREFIX`), e.g. `staging:`. */
  prefix?: string;
  /** Days of results and timings to keep (`HOUSECAT_RETENTION_DAYS`). Default 90. */
  retentionDays?: number;
  /** Approximate entries kept per events stream. Default 1000. */
  eventsCap?: number;
  /** Milliseconds one round trip may take before it fails. Default 10,000. */
  timeoutMs?: number;
  clock?: Clock;
}

const STREAM_ID = /^\d+(-\d+)?$/;

export class RedisStore implements Store, WatchdogStore, SharedRateLimit {
  readonly keys: KeySpace;
  readonly limits: Limits;
  /** The GitHub outbox (outbox-store.ts). */
  readonly outbox: OutboxStore;
  /** A scheduled delivery's two scripts (delivery-store.ts). */
  readonly delivery: DeliveryStore;
  /** Names of the claims use cases take (keys.ts). */
  readonly claimNames = claimNames;
  private readonly clock: Clock;

  constructor(
    /** Shared with the stores of other features (dashboard, replay scripts) so they reuse one connection. */
    readonly transport: Transport,
    options: StoreOptions = {},
  ) {
    this.keys = keySpace(options.prefix ?? '');
    this.limits = {
      retentionMs: (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS,
      eventsCap: options.eventsCap ?? DEFAULT_EVENTS_CAP,
    };
    this.clock = options.clock ?? systemClock;
    this.outbox = createOutboxStore(transport, this.keys, () => this.clock.now());
    this.delivery = createDeliveryStore(transport, this.keys, this.limits, () => this.clock.now());
  }

  async listRepoTests(repo: string): Promise<StoredTest[]> {
    const ids = strings(await this.transport.command('list tests', ['SMEMBERS', this.keys.repoTests(repo)]));
    return this.testsByIds(ids.sort());
  }

  /**
   * The stored tests of `ids`, in their order, read in one round trip. An index entry whose hash
   * is gone (removed by hand) is skipped, not returned empty.
   */
  async testsByIds(ids: readonly string[]): Promise<StoredTest[]> {
    if (ids.length === 0) return [];
    const replies = await this.transport.pipeline(
      'list tests',
      ids.map((id) => ['HGETALL', this.keys.test(id)]),
    );
    const tests: StoredTest[] = [];
    replies.forEach((reply, i) => {
      const test = decodeTest(this.keys.test(ids[i] ?? ''), reply);
      if (test) tests.push(test);
    });
    return tests;
  }

  async getTest(id: string): Promise<StoredTest | null> {
    const key = this.keys.test(id);
    return decodeTest(key, await this.transport.command('read test', ['HGETALL', key]));
  }

  async applySync(repo: string, changes: { upsert: StoredTest[]; remove: string[] }): Promise<void> {
    const foreign = changes.upsert.find((t) => t.definition.repo.toLowerCase() !== repo.toLowerCase());
    if (foreign) {
      throw new Error(
        `applySync for ${repo} was given test ${foreign.definition.id} of ${foreign.definition.repo}: ` +
          'a sync writes only the tests of its own repository.',
      );
    }
    const commands = applySyncCommands(this.keys, repo, changes);
    if (commands.length === 0) return;
    await this.transport.transaction('write synced tests', commands);
  }

  async recordRun(result: RunResult, events: RunEvent[], settle?: ClaimSettle): Promise<void> {
    const commands = recordRunCommands(this.keys, this.limits, result, events, this.clock.now(), settle);
    await this.transport.transaction('record run', commands);
  }

  async getResults(testId: string, query: RangeQuery = {}): Promise<StoredResult[]> {
    const [max, min] = scoreRange(query.from, query.to ?? this.clock.now());
    const reply = await this.transport.command(
      'read results',
      zrevrange(this.keys.results(testId), max, min, query.limit),
    );
    return decodeResults(reply);
  }

  async getTimings(testId: string, query: RangeQuery = {}): Promise<StoredTiming[]> {
    const [max, min] = scoreRange(query.from, query.to ?? this.clock.now());
    const reply = await this.transport.command(
      'read timings',
      zrevrange(this.keys.timing(testId), max, min, query.limit, true),
    );
    return decodeTimings(reply);
  }

  async appendEvents(testId: string, runId: string, events: RunEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.transport.transaction('append events', [
      ...xaddEvents(this.keys, this.limits, testId, runId, events),
      ['PEXPIRE', this.keys.events(testId), String(this.limits.retentionMs)],
    ]);
  }

  async readEvents(
    testId: string,
    options: { afterId?: string; limit?: number } = {},
  ): Promise<StoredEvent[]> {
    if (options.afterId !== undefined && !STREAM_ID.test(options.afterId)) {
      throw new Error(
        `readEvents: "${options.afterId}" is not a stream id (expected MS-SEQ, e.g. 1700000000000-0).`,
      );
    }
    const command = ['XRANGE', this.keys.events(testId), options.afterId ? `(${options.afterId}` : '-', '+'];
    if (options.limit !== undefined) command.push('COUNT', String(Math.max(1, Math.floor(options.limit))));
    return decodeEvents(await this.transport.command('read events', command));
  }

  async getIncident(testId: string): Promise<Incident | null> {
    return decodeIncident(
      await this.transport.command('read incident', ['HGETALL', this.keys.incident(testId)]),
    );
  }

  async saveIncident(incident: Incident): Promise<void> {
    await this.transport.transaction('save incident', saveIncidentCommands(this.keys, incident));
  }

  async closeIncident(testId: string, resolvedAt: number): Promise<void> {
    await this.transport.command('close incident', closeIncidentCommand(this.keys, testId, resolvedAt));
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const reply = await this.transport.command('claim', claimCommand(this.keys, key, owner, ttlMs));
    // 'mine' is this very claim run a second time (a resend after a lost answer): it holds the key.
    if (reply === 'claimed' || reply === 'mine') return true;
    if (reply === 'taken') return false;
    throw new Error(`claim ${key}: unexpected reply from the claim script`);
  }

  async release(key: string, owner: string): Promise<void> {
    await this.transport.command('release claim', releaseCommand(this.keys, key, owner));
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const reply = await this.transport.command('renew claim', renewCommand(this.keys, key, owner, ttlMs));
    return Number(reply) === 1;
  }

  async readClaim(key: string): Promise<string | null> {
    const reply = await this.transport.command('read claim', ['GET', this.keys.claim(key)]);
    return reply === null || reply === undefined ? null : String(reply);
  }

  /** See WatchdogStore: two round trips for every test (watch-snapshot.ts). */
  watchSnapshot(): Promise<WatchEntry[]> {
    return readWatchSnapshot(this.transport, this.keys);
  }

  /** See SharedRateLimit: one atomic script per attempt (rate-limit.ts). */
  async takeSlot(name: string, slot: string, windows: readonly RateWindow[]): Promise<number> {
    const key = `${this.keys.prefix}ratelimit:${name}`;
    const reply = await this.transport.command(
      'rate limit',
      takeSlotCommand(key, `${key}:pause`, slot, windows),
    );
    return Number(reply);
  }

  async redateSlot(name: string, slot: string): Promise<void> {
    await this.transport.command(
      'rate limit',
      redateSlotCommand(`${this.keys.prefix}ratelimit:${name}`, slot),
    );
  }

  async pauseSlots(name: string, ms: number): Promise<void> {
    await this.transport.command(
      'rate limit',
      pauseCommand(`${this.keys.prefix}ratelimit:${name}:pause`, ms),
    );
  }

  async pauseLeft(name: string): Promise<number> {
    const reply = await this.transport.command('rate limit', [
      'PTTL',
      `${this.keys.prefix}ratelimit:${name}:pause`,
    ]);
    return Math.max(0, Number(reply) || 0);
  }

  /** Tests with GitHub work waiting in the outbox, and the earliest due time among them (one round trip). */
  async outboxStats(): Promise<{ tests: number; earliestDueAt: number | null }> {
    const [count, head] = await this.transport.pipeline('read the outbox size', [
      ['ZCARD', this.keys.outbox()],
      ['ZRANGE', this.keys.outbox(), '0', '0', 'WITHSCORES'],
    ]);
    const score = Array.isArray(head) ? head[1] : undefined;
    return { tests: Number(count) || 0, earliestDueAt: score === undefined ? null : Number(score) };
  }

  /** Tests with an active (open or acknowledged) incident: the length of the index list. */
  async activeIncidents(): Promise<number> {
    return Number(await this.transport.command('count incidents', ['LLEN', this.keys.incidents()])) || 0;
  }

  /** One PING round trip: resolves when Redis answers, rejects with the store's error when it does not. */
  async ping(): Promise<void> {
    await this.transport.command('ping', ['PING']);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

function decodeResults(reply: Reply): StoredResult[] {
  return strings(reply)
    .map(decodeResult)
    .filter((r): r is StoredResult => r !== null);
}

function decodeTimings(reply: Reply): StoredTiming[] {
  return memberScores(reply)
    .map(({ member, score }) => decodeTiming(member, score))
    .filter((t): t is StoredTiming => t !== null);
}
