/**
 * The incident history (`incidents:history:{owner/name}`, incident-history.ts), run against both
 * adapters like the store suite: every close appends the resolved record in the same script, once,
 * trimmed to 90 days, and an issue number that arrives after the close reaches the history too.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisStore } from '../../../src/adapters/store/index.js';
import { statusStoreOf } from '../../../src/adapters/store/status-store.js';
import type { OutboxItem } from '../../../src/core/incidents/outbox.js';
import type { Store } from '../../../src/core/ports.js';
import type { Incident } from '../../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import type { StoreFactory } from './store-suite.js';

const DAY = 86_400_000;
const T0 = 1_767_225_600_000;
const ID = 'acme--shop--login';
const incident = (since: number, extra: Partial<Incident> = {}): Incident => ({
  testId: ID,
  // Mixed case on purpose: the history key is lower-cased like every per-repository key.
  repo: 'Acme/Shop',
  status: 'open',
  since,
  openedAt: since + 60_000,
  lastFailureAt: since + 60_000,
  lastReason: 'No "Welcome" — 🚫 {"a":1} a/b \\ end',
  failedRuns: 2,
  ...extra,
});

export function describeIncidentHistorySuite(adapter: string, makeStore: StoreFactory): void {
  describe(`incident history (${adapter})`, () => {
    const raw = createClient({ url: testRedisUrl(), RESP: 2 });
    const stores: Store[] = [];
    const open = async () => {
      const prefix = uniquePrefix(`history-${adapter}`);
      const store = await makeStore({ prefix, clock: { now: () => T0 + 200 * DAY } });
      stores.push(store);
      return { store, key: `${prefix}incidents:history:acme/shop` };
    };
    const members = async (key: string) =>
      (await raw.zRangeWithScores(key, 0, -1)).map((m) => ({ ...JSON.parse(m.value), score: m.score }));
    beforeAll(async () => {
      await raw.connect();
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
      await raw.close();
    });

    it('appends each incident closed by closeIncident or the outbox commit, once, with its record’s fields', async () => {
      const { store, key } = await open();
      const first = incident(T0 + 100 * DAY, { issueNumber: 7 });
      await store.saveIncident(first);
      await store.closeIncident(ID, first.since + 3_600_000);
      // A close sent again (a client retry) neither adds a row nor moves the resolution time.
      await store.closeIncident(ID, first.since + 7_200_000);
      expect(await store.getIncident(ID)).toMatchObject({
        status: 'resolved',
        resolvedAt: first.since + 3_600_000,
      });

      const second = incident(T0 + 150 * DAY, { kind: 'missed', lastReason: 'no run since 10:00' });
      await store.outbox.commit({ save: second, work: [] });
      await store.outbox.commit({ close: { testId: ID, resolvedAt: second.since + 60_000 }, work: [] });

      expect(await members(key)).toEqual([
        {
          testId: ID,
          since: first.since,
          resolvedAt: first.since + 3_600_000,
          issueNumber: 7,
          kind: '',
          lastReason: first.lastReason,
          score: first.since + 3_600_000,
        },
        {
          testId: ID,
          since: second.since,
          resolvedAt: second.since + 60_000,
          issueNumber: null,
          kind: 'missed',
          lastReason: 'no run since 10:00',
          score: second.since + 60_000,
        },
      ]);
      expect(await raw.pTTL(key)).toBeGreaterThan(89 * DAY);

      // The status reader returns them newest first in its first pipeline.
      const status = statusStoreOf(store as RedisStore);
      const read = await status.readRepoStatus('acme/shop', {
        recent: 1,
        fromHour: 0,
        toHour: 0,
        includePrivate: true,
        historyFrom: T0,
      });
      expect(read.history.map((h) => [h.since, h.issueNumber, h.kind])).toEqual([
        [second.since, undefined, 'missed'],
        [first.since, 7, undefined],
      ]);
      expect(read.history[1]?.lastReason).toBe(first.lastReason);
    });

    it('drops incidents resolved more than 90 days before the newest close', async () => {
      const { store, key } = await open();
      await store.saveIncident(incident(T0));
      await store.closeIncident(ID, T0 + 1000);
      await store.saveIncident(incident(T0 + 91 * DAY));
      await store.closeIncident(ID, T0 + 91 * DAY + 1000);
      expect((await members(key)).map((m) => m.since)).toEqual([T0 + 91 * DAY]);
    });

    it('adds the issue number to the history when the issue is created after the incident resolved', async () => {
      const { store, key } = await open();
      const pending = incident(T0 + 100 * DAY);
      const create: OutboxItem = {
        id: 'c1',
        kind: 'create',
        testId: ID,
        repo: 'Acme/Shop',
        since: pending.since,
        createdAt: pending.since,
        attempts: 0,
        title: 't',
        body: 'b',
      };
      await store.outbox.commit({ save: pending, work: [create] });
      await store.outbox.commit({ close: { testId: ID, resolvedAt: pending.since + 5000 }, work: [] });
      expect((await members(key)).map((m) => m.issueNumber)).toEqual([null]);
      const head = await store.outbox.head(ID);
      if (!head) throw new Error('the create item was not queued');
      await store.outbox.done(ID, head.raw, { since: pending.since, number: 12 });
      expect(await members(key)).toMatchObject([
        { since: pending.since, issueNumber: 12, score: pending.since + 5000 },
      ]);
      expect(await store.getIncident(ID)).toMatchObject({ status: 'resolved', issueNumber: 12 });
    });
  });
}
