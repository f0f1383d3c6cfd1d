/**
 * The one store suite, run against both adapters (upstash-store.test.ts, tcp-store.test.ts) on the
 * same real redis-server. Raw reads go through a separate `redis` client, so the stored layout
 * (the public data model) is checked, not only what the store reads back.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedisReplayStore,
  type RedisStore,
  type StoreOptions,
} from '../../../src/adapters/store/index.js';
import type { Store } from '../../../src/core/ports.js';
import type { ReplayScript } from '../../../src/core/replay/index.js';
import type { Incident, RunEvent } from '../../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { definition, run, stored } from './fixtures.js';

export type StoreFactory = (options: StoreOptions & { prefix: string }) => Promise<Store>;

const DAY = 86_400_000;

/** A clock the test moves by hand. */
function manualClock(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

export function describeStoreSuite(adapter: string, makeStore: StoreFactory): void {
  describe(`store suite (${adapter})`, () => {
    const raw = createClient({ url: testRedisUrl(), RESP: 2 });
    const stores: Store[] = [];
    const open = async (options: StoreOptions = {}) => {
      const prefix = options.prefix ?? uniquePrefix(adapter);
      const store = await makeStore({ ...options, prefix });
      stores.push(store);
      return { store, prefix };
    };

    beforeAll(async () => {
      await raw.connect();
    });
    afterAll(async () => {
      for (const s of stores) await s.close();
      await raw.close();
    });

    it('gives null, not an empty object, when a test does not exist', async () => {
      const { store } = await open();
      expect(await store.getTest('nobody--nothing--missing')).toBeNull();
      expect(await store.getResults('nobody--nothing--missing')).toEqual([]);
      expect(await store.getTimings('nobody--nothing--missing')).toEqual([]);
    });

    it('round-trips names and goals that look like JSON, numbers, booleans, unicode and emoji exactly', async () => {
      const { store, prefix } = await open();
      const repo = 'acme/shop';
      const tricky = [
        { name: '123', goal: '456' },
        { name: 'true', goal: 'false' },
        { name: '{"a":1}', goal: '{"steps":[1,2],"ok":true}' },
        { name: 'null', goal: '["a", 1]' },
        { name: 'OK', goal: '1e3' },
        { name: '  spaced  ', goal: '"quoted"' },
        { name: 'Ünïcödé テスト — ok', goal: 'Vérifier que « Bienvenue » s’affiche' },
        { name: '🐈‍⬛ login 🚀', goal: 'Click 👉 then see 🎉' },
        { name: '0012', goal: '-0' },
      ];
      const tests = tricky.map((t, i) => stored(definition(repo, `t${i}`, t)));
      await store.applySync(repo, { upsert: tests, remove: [] });
      for (const t of tests) {
        const back = await store.getTest(t.definition.id);
        expect(back?.definition).toEqual(t.definition);
        expect(typeof back?.definition.name).toBe('string');
        // The hash fields dashboards read hold the exact text too.
        const fields = await raw.hGetAll(`${prefix}test:${t.definition.id}`);
        expect(fields.name).toBe(t.definition.name);
        expect(fields.goal).toBe(t.definition.goal);
      }
      const listed = await store.listRepoTests(repo);
      expect(listed.map((t) => t.definition.name).sort()).toEqual(tricky.map((t) => t.name).sort());
    });

    it('writes the documented test hash, tests:all and the per-repo index', async () => {
      const { store, prefix } = await open();
      const def = definition('acme/web', 'login', { secrets: ['DEMO_PASSWORD'] });
      await store.applySync('acme/web', {
        upsert: [stored(def, { scheduleId: 'housecat-acme--web--login' })],
        remove: [],
      });
      const fields = await raw.hGetAll(`${prefix}test:${def.id}`);
      expect(Object.keys(fields).sort()).toEqual(
        [
          'content_hash',
          'definition',
          'goal',
          'name',
          'qstash_schedule_id',
          'repo',
          'schedule',
          'slug',
          'updated_at',
          'url',
        ].sort(),
      );
      expect(fields).toMatchObject({
        name: def.name,
        url: def.url,
        repo: 'acme/web',
        slug: 'login',
        schedule: '*/5 * * * *',
        content_hash: `hash-${def.id}`,
        qstash_schedule_id: 'housecat-acme--web--login',
        updated_at: '1700000000000',
      });
      expect(JSON.parse(fields.definition ?? '')).toEqual(def);
      expect(await raw.sMembers(`${prefix}tests:all`)).toEqual([def.id]);
      expect(await raw.sMembers(`${prefix}tests:repo:acme/web`)).toEqual([def.id]);
      expect((await store.getTest(def.id))?.scheduleId).toBe('housecat-acme--web--login');
    });

    it('drops fields a new definition no longer has, and removes tests from every index', async () => {
      const { store, prefix } = await open();
      const def = definition('acme/web', 'home');
      const other = definition('acme/web', 'about');
      await store.applySync('acme/web', {
        upsert: [stored(def, { scheduleId: 's1' }), stored(other)],
        remove: [],
      });
      const { goal: _goal, schedule: _schedule, ...bare } = def;
      const changed = { ...bare, expect: { status: 200 } };
      await store.applySync('acme/web', { upsert: [stored(changed)], remove: [other.id] });
      const fields = await raw.hGetAll(`${prefix}test:${def.id}`);
      expect(fields.goal).toBeUndefined();
      expect(fields.schedule).toBeUndefined();
      expect(fields.qstash_schedule_id).toBeUndefined();
      expect((await store.getTest(def.id))?.definition).toEqual(changed);
      expect(await store.getTest(other.id)).toBeNull();
      expect(await raw.sMembers(`${prefix}tests:all`)).toEqual([def.id]);
      expect((await store.listRepoTests('acme/web')).map((t) => t.definition.id)).toEqual([def.id]);
    });

    it('keeps repositories apart and refuses to write another repository’s test', async () => {
      const { store, prefix } = await open();
      const a = definition('acme/a', 'x');
      const b = definition('acme/b', 'x');
      await store.applySync('acme/a', { upsert: [stored(a)], remove: [] });
      await store.applySync('acme/b', { upsert: [stored(b)], remove: [] });
      expect((await store.listRepoTests('acme/a')).map((t) => t.definition.id)).toEqual([a.id]);
      expect((await raw.sMembers(`${prefix}tests:all`)).sort()).toEqual([a.id, b.id].sort());
      const c = definition('acme/c', 'y');
      await expect(store.applySync('acme/a', { upsert: [stored(c)], remove: [] })).rejects.toThrow(/acme\/c/);
      expect(await store.getTest(c.id)).toBeNull();
    });

    it('treats repository names case-insensitively, as GitHub does', async () => {
      const { store } = await open();
      const a = definition('Acme/Case', 'x');
      await store.applySync('Acme/Case', { upsert: [stored(a)], remove: [] });
      expect((await store.listRepoTests('acme/case')).map((t) => t.definition.id)).toEqual([a.id]);
      await store.applySync('acme/case', { upsert: [], remove: [a.id] });
      expect(await store.listRepoTests('Acme/Case')).toEqual([]);
      expect(await store.getTest(a.id)).toBeNull();
    });

    it('keeps data of different prefixes apart', async () => {
      const { store: one } = await open();
      const { store: two, prefix: twoPrefix } = await open();
      const def = definition('acme/web', 'iso');
      await one.applySync('acme/web', { upsert: [stored(def)], remove: [] });
      expect(await two.getTest(def.id)).toBeNull();
      expect(await raw.sMembers(`${twoPrefix}tests:all`)).toEqual([]);
    });

    it('stores two runs with the same outcome as two results and equal durations as two timings', async () => {
      const { store, prefix } = await open();
      const id = 'acme--web--twice';
      const t0 = Date.now() - 60_000;
      const first = run(id, { startedAt: t0, durationMs: 1500 });
      const second = run(id, { startedAt: t0 + 30_000, durationMs: 1500 });
      await store.recordRun(first, []);
      await store.recordRun(second, []);
      const results = await store.getResults(id);
      expect(results.map((r) => r.runId)).toEqual([second.runId, first.runId]);
      expect(results[0]).toEqual({
        runId: second.runId,
        status: 'passed',
        reason: second.reason,
        startedAt: second.startedAt,
        durationMs: 1500,
        llm_calls: 1,
      });
      const timings = await store.getTimings(id);
      expect(timings).toEqual([
        { runId: second.runId, at: t0 + 30_000, ms: 1500 },
        { runId: first.runId, at: t0, ms: 1500 },
      ]);
      expect(await raw.zCard(`${prefix}timing:${id}`)).toBe(2);
      expect(await raw.zRange(`${prefix}timing:${id}`, 0, -1)).toEqual([
        `${first.runId}:1500`,
        `${second.runId}:1500`,
      ]);
    });

    it('writes the mode and llm_calls of a goal run into its results member', async () => {
      const { store, prefix } = await open();
      const id = 'acme--web--modes';
      const replayed = run(id, { mode: 'replay', usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 } });
      const checksOnly = run(id, {
        agent: 'checks',
        startedAt: replayed.startedAt + 1,
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      });
      await store.recordRun(replayed, []);
      await store.recordRun(checksOnly, []);
      const [checks, replay] = await store.getResults(id);
      expect(replay).toMatchObject({ runId: replayed.runId, mode: 'replay', llm_calls: 0 });
      expect(checks).not.toHaveProperty('mode');
      expect(checks).not.toHaveProperty('llm_calls');
      const members = await raw.zRange(`${prefix}results:${id}`, 0, -1);
      expect(JSON.parse(members[0]!)).toMatchObject({ mode: 'replay', llm_calls: 0 });
    });

    it('keeps a replay script in the replay:{id} hash and clears it', async () => {
      const { store, prefix } = await open();
      const scripts = createRedisReplayStore(store as RedisStore);
      const id = 'acme--web--replayed';
      const script: ReplayScript = {
        testId: id,
        contentHash: 'c'.repeat(64),
        model: 'claude-sonnet-5-5',
        recordedAt: 1_767_225_600_000,
        steps: [
          {
            action: 'type_secret',
            target: { by: 'label', label: 'Password' },
            secret: 'DEMO_PASSWORD',
            after: 'https://example.com/login',
          },
          {
            action: 'click',
            target: { by: 'role', role: 'button', name: 'Sign in' },
            after: 'https://example.com/dashboard',
          },
        ],
        evidence: { textVisible: ['Welcome, Demo'] },
      };
      expect(await scripts.get(id)).toBeNull();
      await scripts.save(script);
      expect(await scripts.get(id)).toEqual(script);
      const hash = await raw.hGetAll(`${prefix}replay:${id}`);
      expect(Object.keys(hash).sort()).toEqual(['content_hash', 'model', 'recorded_at', 'script']);
      expect(JSON.parse(hash.script!)).toEqual({ format: 1, steps: script.steps, evidence: script.evidence });
      expect(await raw.pTTL(`${prefix}replay:${id}`)).toBeGreaterThan(0);
      await scripts.markVerified(id, 1_767_225_700_000);
      expect((await scripts.get(id))?.lastVerifiedAt).toBe(1_767_225_700_000);
      // Marking a missing script verified does not create a hash without a script.
      await scripts.markVerified('acme--web--none', 1);
      expect(await raw.exists(`${prefix}replay:acme--web--none`)).toBe(0);
      expect(await scripts.clear([id, 'acme--web--none'])).toBe(1);
      expect(await scripts.get(id)).toBeNull();
    });

    it('reads results and timings by time range, newest first, with a limit', async () => {
      const { store } = await open();
      const id = 'acme--web--range';
      const base = Date.now() - 10 * 60_000;
      const runs = Array.from({ length: 6 }, (_, i) =>
        run(id, { startedAt: base + i * 60_000, durationMs: 100 + i, status: i % 2 ? 'failed' : 'passed' }),
      );
      for (const r of runs) await store.recordRun(r, []);
      const mid = await store.getResults(id, { from: base + 60_000, to: base + 4 * 60_000 });
      expect(mid.map((r) => r.durationMs)).toEqual([104, 103, 102, 101]);
      const limited = await store.getResults(id, { limit: 2 });
      expect(limited.map((r) => r.durationMs)).toEqual([105, 104]);
      const timings = await store.getTimings(id, { from: base + 3 * 60_000, limit: 2 });
      expect(timings.map((t) => t.ms)).toEqual([105, 104]);
    });

    it('keeps the failed step and source but never the screenshot, steps or usage', async () => {
      const { store, prefix } = await open();
      const id = 'acme--web--shot';
      const result = run(id, {
        status: 'failed',
        reason: 'No "Welcome" text',
        responseMs: 321,
        source: { kind: 'pull_request', pr: 7, branch: 'feat', commit: 'abc123' },
        steps: [
          { action: 'navigate', target: 'https://example.com', outcome: 'loaded', ok: true, at: 1 },
          { action: 'click', target: 'Log in', outcome: 'button not found', ok: false, at: 2 },
        ],
        evidence: { screenshotBase64: 'SCREENSHOT-MARKER-iVBORw0KGgo', excerpt: 'EXCERPT-MARKER' },
      });
      await store.recordRun(result, [{ type: 'fail', message: 'button not found', at: Date.now() }]);
      const [back] = await store.getResults(id);
      expect(back).toMatchObject({
        runId: result.runId,
        status: 'failed',
        responseMs: 321,
        failedStep: 'click Log in: button not found',
        source: { kind: 'pull_request', pr: 7, branch: 'feat', commit: 'abc123' },
      });
      const keys = await raw.keys(`${prefix}*`);
      expect(keys.sort()).toEqual([
        `${prefix}events:${id}`,
        `${prefix}results:${id}`,
        `${prefix}stats:${id}:h`,
        `${prefix}timing:${id}`,
      ]);
      for (const key of keys) {
        const dump = await raw.sendCommand(['DUMP', key]);
        expect(String(dump)).not.toContain('SCREENSHOT-MARKER');
        expect(String(dump)).not.toContain('EXCERPT-MARKER');
      }
      expect(JSON.stringify(await raw.zRange(`${prefix}results:${id}`, 0, -1))).not.toContain('SCREENSHOT');
    });

    it('trims results and timings older than the retention when a run is recorded, and sets key expiries', async () => {
      const now = Date.UTC(2026, 0, 1);
      const clock = manualClock(now);
      const { store, prefix } = await open({ retentionDays: 90, clock });
      const id = 'acme--web--retention';
      const old = run(id, { startedAt: now - 91 * DAY });
      const keep = run(id, { startedAt: now - 89 * DAY });
      await store.recordRun(old, []);
      await store.recordRun(keep, []);
      clock.t = now + 1000;
      const fresh = run(id, { startedAt: now });
      await store.recordRun(fresh, []);
      const ids = (await store.getResults(id)).map((r) => r.runId);
      expect(ids).toEqual([fresh.runId, keep.runId]);
      expect((await store.getTimings(id)).map((t) => t.runId)).toEqual([fresh.runId, keep.runId]);
      expect(await raw.zCard(`${prefix}results:${id}`)).toBe(2);
      const ttl = await raw.pTTL(`${prefix}results:${id}`);
      expect(ttl).toBeGreaterThan(89 * DAY);
      expect(ttl).toBeLessThanOrEqual(90 * DAY);
      expect(await raw.pTTL(`${prefix}timing:${id}`)).toBeGreaterThan(89 * DAY);
    });

    it('honours a shorter configured retention', async () => {
      const now = Date.UTC(2026, 0, 1);
      const { store } = await open({ retentionDays: 7, clock: manualClock(now) });
      const id = 'acme--web--week';
      await store.recordRun(run(id, { startedAt: now - 8 * DAY }), []);
      await store.recordRun(run(id, { startedAt: now - 6 * DAY }), []);
      expect(await store.getResults(id)).toHaveLength(1);
    });

    it('appends events and reads them after a given stream id, oldest first', async () => {
      const { store, prefix } = await open();
      const id = 'acme--web--events';
      const at = Date.now();
      const r = run(id);
      const events: RunEvent[] = [
        { type: 'step', message: 'navigate https://example.com', at },
        { type: 'step', message: 'click "Log in" 🚀', at: at + 1 },
        { type: 'pass', message: '{"a":1}', at: at + 2 },
      ];
      await store.recordRun(r, events.slice(0, 1));
      await store.appendEvents(id, r.runId, events.slice(1));
      const all = await store.readEvents(id);
      expect(all.map(({ streamId: _s, ...e }) => e)).toEqual(events.map((e) => ({ ...e, runId: r.runId })));
      const after = await store.readEvents(id, { afterId: all[0]!.streamId });
      expect(after.map((e) => e.message)).toEqual(['click "Log in" 🚀', '{"a":1}']);
      const limited = await store.readEvents(id, { afterId: all[0]!.streamId, limit: 1 });
      expect(limited.map((e) => e.message)).toEqual(['click "Log in" 🚀']);
      expect(await store.readEvents(id, { afterId: all[2]!.streamId })).toEqual([]);
      const entry = await raw.xRange(`${prefix}events:${id}`, '-', '+', { COUNT: 1 });
      expect(entry?.[0]?.message).toEqual({
        type: 'step',
        message: events[0]!.message,
        at: String(at),
        run_id: r.runId,
      });
      await expect(store.readEvents(id, { afterId: 'not-an-id' })).rejects.toThrow(/stream id/);
    });

    it('caps the events stream near the configured size', async () => {
      const { store, prefix } = await open({ eventsCap: 50 });
      const id = 'acme--web--cap';
      for (let batch = 0; batch < 10; batch++) {
        const events = Array.from({ length: 100 }, (_, i) => ({
          type: 'step' as const,
          message: `event ${batch * 100 + i}`,
          at: Date.now(),
        }));
        await store.appendEvents(id, `run-${batch}`, events);
      }
      const length = await raw.xLen(`${prefix}events:${id}`);
      // MAXLEN ~ trims whole stream nodes (100 entries each by default): at least the cap, at most cap + one node.
      expect(length).toBeGreaterThanOrEqual(50);
      expect(length).toBeLessThanOrEqual(150);
      const events = await store.readEvents(id);
      expect(events.at(-1)?.message).toBe('event 999');
    });

    it('keeps the incidents list of active incidents in step with the records', async () => {
      const { store, prefix } = await open();
      const incident: Incident = {
        testId: 'acme--web--login',
        repo: 'acme/web',
        status: 'open',
        since: 1000,
        openedAt: 2000,
        lastFailureAt: 3000,
        lastReason: 'No "Welcome" — 🚫 {"a":1}',
        failedRuns: 2,
      };
      expect(await store.getIncident(incident.testId)).toBeNull();
      await store.saveIncident(incident);
      await store.saveIncident({ ...incident, issueNumber: 42, failedRuns: 3 });
      await store.saveIncident({ ...incident, testId: 'acme--web--other', status: 'acknowledged' });
      expect(await raw.lRange(`${prefix}incidents`, 0, -1)).toEqual(['acme--web--login', 'acme--web--other']);
      expect(await store.getIncident(incident.testId)).toEqual({
        ...incident,
        issueNumber: 42,
        failedRuns: 3,
      });
      await store.closeIncident(incident.testId, 9000);
      expect(await store.getIncident(incident.testId)).toEqual({
        ...incident,
        issueNumber: 42,
        failedRuns: 3,
        status: 'resolved',
        resolvedAt: 9000,
      });
      expect(await raw.lRange(`${prefix}incidents`, 0, -1)).toEqual(['acme--web--other']);
      await store.saveIncident({
        ...incident,
        testId: 'acme--web--other',
        status: 'resolved',
        resolvedAt: 9500,
      });
      expect(await raw.lRange(`${prefix}incidents`, 0, -1)).toEqual([]);
      await store.closeIncident('acme--web--never', 1);
      expect(await store.getIncident('acme--web--never')).toBeNull();
    });

    it('holds a claim for its owner (a resent claim is still held), refuses others and frees after the TTL', async () => {
      const { store, prefix } = await open();
      expect(await store.claim('delivery:abc', 'owner-1', 60_000)).toBe(true);
      // The same claim sent again (its first answer lost): the owner holds the key, so it is success.
      expect(await store.claim('delivery:abc', 'owner-1', 60_000)).toBe(true);
      expect(await store.claim('delivery:abc', 'owner-2', 60_000)).toBe(false);
      expect(await raw.get(`${prefix}claim:delivery:abc`)).toBe('owner-1');
      const ttl = await raw.pTTL(`${prefix}claim:delivery:abc`);
      expect(ttl).toBeGreaterThan(50_000);
      await store.release('delivery:abc', 'owner-2');
      expect(await store.claim('delivery:abc', 'owner-2', 60_000)).toBe(false);
      await store.release('delivery:abc', 'owner-1');
      expect(await store.claim('delivery:abc', 'owner-2', 60_000)).toBe(true);

      expect(await store.claim('run:short', 'a', 80)).toBe(true);
      expect(await store.claim('run:short', 'b', 80)).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      expect(await store.claim('run:short', 'b', 80)).toBe(true);
    });

    it('renews a lease only for its owner, and settles a claim in the same transaction as the result', async () => {
      const { store, prefix } = await open();
      expect(await store.claim('lease:x', 'owner-1', 300)).toBe(true);
      expect(await store.renew('lease:x', 'owner-1', 60_000)).toBe(true);
      expect(await raw.pTTL(`${prefix}claim:lease:x`)).toBeGreaterThan(50_000);
      expect(await store.renew('lease:x', 'owner-2', 60_000)).toBe(false);
      expect(await store.readClaim('lease:x')).toBe('owner-1');
      expect(await store.renew('lease:gone', 'owner-1', 60_000)).toBe(false);
      expect(await store.readClaim('lease:gone')).toBeNull();

      const result = run('acme--web--settled');
      await store.recordRun(result, [], { key: 'lease:x', value: 'done', ttlMs: 120_000 });
      expect((await store.getResults('acme--web--settled')).map((r) => r.runId)).toEqual([result.runId]);
      expect(await store.readClaim('lease:x')).toBe('done');
      expect(await raw.pTTL(`${prefix}claim:lease:x`)).toBeGreaterThan(100_000);
    });
  });
}
