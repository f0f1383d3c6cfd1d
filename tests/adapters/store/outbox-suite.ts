/**
 * The GitHub outbox in Redis (outbox-store.ts), run against both adapters like the store suite:
 * the decision and its work land in one transaction, in the documented layout, and every later
 * change applies only to the item the caller worked on.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../../src/core/incidents/outbox.js';
import type { Store } from '../../../src/core/ports.js';
import type { Incident } from '../../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import type { StoreFactory } from './store-suite.js';

const ID = 'acme--shop--login';
const incident: Incident = {
  testId: ID,
  repo: 'acme/shop',
  status: 'open',
  since: 1_767_225_600_000,
  openedAt: 1_767_225_660_000,
  lastFailureAt: 1_767_225_660_000,
  lastReason: 'no "Welcome"',
  failedRuns: 2,
};
const item = (kind: 'create' | 'close', n: number): OutboxItem =>
  kind === 'create'
    ? {
        id: `i${n}`,
        kind,
        testId: ID,
        repo: 'acme/shop',
        since: incident.since,
        createdAt: n,
        attempts: 0,
        title: 't',
        body: 'b',
      }
    : { id: `i${n}`, kind, testId: ID, repo: 'acme/shop', since: incident.since, createdAt: n, attempts: 0 };

export function describeOutboxSuite(adapter: string, makeStore: StoreFactory): void {
  describe(`GitHub outbox (${adapter})`, () => {
    const raw = createClient({ url: testRedisUrl(), RESP: 2 });
    const stores: Store[] = [];
    const open = async () => {
      const prefix = uniquePrefix(`outbox-${adapter}`);
      const clock = { t: 1_767_300_000_000, now: () => clock.t };
      const store = await makeStore({ prefix, clock });
      stores.push(store);
      return { store, prefix, clock };
    };
    beforeAll(async () => {
      await raw.connect();
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
      await raw.close();
    });

    it('saves the decision and its work together, in order, under outbox and outbox:{id}', async () => {
      const { store, prefix, clock } = await open();
      await store.outbox.commit({ save: incident, work: [item('create', 1), item('close', 2)] });
      expect(await raw.hGet(`${prefix}incident:${ID}`, 'status')).toBe('open');
      expect((await raw.lRange(`${prefix}outbox:${ID}`, 0, -1)).map((j) => JSON.parse(j).id)).toEqual([
        'i1',
        'i2',
      ]);
      expect(await raw.zScore(`${prefix}outbox`, ID)).toBe(clock.t);
      expect((await store.outbox.pending(ID)).map((i) => i.kind)).toEqual(['create', 'close']);
      expect(await store.outbox.due(clock.t, 10)).toEqual([ID]);
    });

    it('finishes the head item only, records the issue number on its incident, and forgets an empty queue', async () => {
      const { store, prefix } = await open();
      await store.outbox.commit({ save: incident, work: [item('create', 1), item('close', 2)] });
      const head = await store.outbox.head(ID);
      await store.outbox.done(ID, head!.raw, { since: incident.since, number: 7 });
      await store.outbox.done(ID, head!.raw, { since: incident.since, number: 7 }); // a stale repeat: no-op
      expect((await store.outbox.pending(ID)).map((i) => i.id)).toEqual(['i2']);
      expect(await store.getIncident(ID)).toMatchObject({ issueNumber: 7 });
      const last = await store.outbox.head(ID);
      await store.outbox.done(ID, last!.raw);
      expect(await raw.exists([`${prefix}outbox:${ID}`, `${prefix}outbox`])).toBe(0);
      expect(await store.outbox.nextDue()).toBeNull();
    });

    it('postpones a failed item until its due time, and records a refusal on the incident', async () => {
      const { store, clock } = await open();
      await store.outbox.commit({ save: incident, work: [item('create', 1)] });
      const head = (await store.outbox.head(ID))!;
      await store.outbox.retryLater(
        ID,
        head.raw,
        { ...head.item, attempts: 1, lastError: '502' },
        clock.t + 2000,
      );
      expect(await store.outbox.due(clock.t, 10)).toEqual([]);
      expect(await store.outbox.nextDue()).toBe(clock.t + 2000);
      const again = (await store.outbox.head(ID))!;
      expect(again).toMatchObject({ item: { attempts: 1, lastError: '502' }, dueAt: clock.t + 2000 });
      // A drainer holding the old text cannot change the item any more.
      await store.outbox.retryLater(ID, head.raw, { ...head.item, attempts: 9 }, clock.t);
      expect((await store.outbox.head(ID))?.item.attempts).toBe(1);
      await store.outbox.drop(ID, again.raw, 'create the incident issue: 410 issues are disabled');
      expect(await store.outbox.pending(ID)).toEqual([]);
      expect(await store.getIncident(ID)).toMatchObject({ githubError: expect.stringContaining('410') });
    });
  });
}
