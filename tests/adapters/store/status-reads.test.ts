/**
 * The reads behind status pages, badges and the read API, counted in commands on the Upstash REST
 * bridge (Upstash bills per command, EVAL counts as one): a page of 100 tests with 30 days of
 * 5-minute history costs 1 + 1 per 10 tests and shows exactly what reading every hour shows; its head
 * alone (what a 304 costs) is 1; a badge is 1; a private repository's tests are not even read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstashStore, type RedisStore } from '../../../src/adapters/store/index.js';
import { statusStoreOf } from '../../../src/adapters/store/status-store.js';
import { badgeContentOf, badgeWindowHours } from '../../../src/bot/status/badge-data.js';
import { BADGE_KINDS, badgeContent } from '../../../src/bot/status/badges.js';
import { testId } from '../../../src/core/ids.js';
import { windowHours } from '../../../src/core/status/rollup.js';
import {
  buildStatusView,
  buildTestView,
  HEARTBEAT_RUNS,
  historyFrom,
  pageHours,
} from '../../../src/core/status/view.js';
import type { RunResult } from '../../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { seedStatusHistory } from '../../support/status-history.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';

const NOW = Date.UTC(2026, 10, 30, 18, 5);
const DAY = 86_400_000;

function passedRun(id: string, at: number): RunResult {
  return {
    runId: `run-${at}`,
    testId: id,
    status: 'passed',
    reason: 'ok',
    agent: 'checks',
    startedAt: at,
    durationMs: 300,
    steps: [],
    evidence: {},
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
}
let bridge: UpstashBridge;
let store: RedisStore;
let mark = 0;

/** The commands the bridge received since the last `reset()` (EVAL counts as one, as Upstash bills). */
function commandsSinceReset(): string[][] {
  return bridge.requests.slice(mark).flatMap((r) => r.commands);
}

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
  store = createUpstashStore({ url: bridge.url, token: bridge.token, prefix: uniquePrefix('status-reads') });
  await seedStatusHistory(store, testRedisUrl(), {
    repo: 'acme/big',
    tests: 100,
    days: 30,
    results: 120,
    now: NOW,
  });
  await seedStatusHistory(store, testRedisUrl(), {
    repo: 'acme/quiet',
    tests: 3,
    days: 1,
    results: 10,
    now: NOW,
  });
  const status = statusStoreOf(store, { now: () => NOW });
  await status.saveStatusSettings('acme/big', { public: true, showGoals: false });
  // 30 incidents of one test over 60 days, resolved through the close script: the page's history.
  const id = testId('acme/big', 'page-007');
  for (let i = 0; i < 30; i++) {
    const since = NOW - (i + 1) * 2 * DAY;
    await store.saveIncident({
      testId: id,
      repo: 'acme/big',
      status: 'open',
      since,
      openedAt: since,
      lastFailureAt: since,
      lastReason: `failure ${i}`,
      failedRuns: 2,
      issueNumber: 100 + i,
    });
    await store.closeIncident(id, since + 3_600_000);
  }
}, 120_000);
afterAll(async () => {
  await store.close();
  await bridge.close();
});

describe('status reads', () => {
  it('reads a page of 100 tests with 30 days of history in 1 + 1 per 10 tests commands, showing what a full read shows', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    mark = bridge.requests.length;
    const page = await status.readRepoStatus('acme/big', {
      recent: HEARTBEAT_RUNS,
      ...pageHours(NOW),
      historyFrom: historyFrom(NOW),
    });
    // The budget (issue 25): at most 2 + 1 per 10 tests. The head is one script, then one per 10 tests.
    const commands = commandsSinceReset();
    expect(commands).toHaveLength(1 + 10);
    expect(commands.every((c) => c[0] === 'EVAL')).toBe(true);
    expect(bridge.count()).toBe(2);
    expect(page.history.map((h) => h.issueNumber)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(page.tests).toHaveLength(100);
    // The view drawn from it is the view drawn from every hour read one by one (the API's read).
    const settings = { public: true, showGoals: false };
    const full = [];
    for (const t of page.tests) {
      const one = await status.readTestStatus('acme/big', t.test.definition.slug, {
        recent: HEARTBEAT_RUNS,
        ...pageHours(NOW),
      });
      if (one.test) full.push(one.test);
    }
    expect(full.every((t) => t.hours.size === 30 * 24)).toBe(true);
    const cheap = buildStatusView({
      repo: 'acme/big',
      settings,
      tests: page.tests,
      history: page.history,
      now: NOW,
    });
    const exact = buildStatusView({
      repo: 'acme/big',
      settings,
      tests: full,
      history: page.history,
      now: NOW,
    });
    expect(cheap).toEqual(exact);
  });

  it('reads the head of a page in 1 command, and its version moves with a new run only', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    mark = bridge.requests.length;
    const head = await status.readRepoHead('acme/big', { historyFrom: historyFrom(NOW) });
    expect(commandsSinceReset()).toHaveLength(1);
    expect(head.ids).toHaveLength(100);
    expect(head.version).toMatch(/^[0-9a-f]{40}$/);
    expect((await status.readRepoHead('acme/big', { historyFrom: historyFrom(NOW) })).version).toBe(
      head.version,
    );
    const id = testId('acme/big', 'page-042');
    await store.recordRun(passedRun(id, NOW - 1000), []);
    expect((await status.readRepoHead('acme/big', { historyFrom: historyFrom(NOW) })).version).not.toBe(
      head.version,
    );
  });

  it('reads a badge in 1 command, saying what the whole test view says', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    for (const slug of ['page-007', 'page-003']) {
      const full = await status.readTestStatus('acme/big', slug, {
        recent: HEARTBEAT_RUNS,
        ...pageHours(NOW),
      });
      if (!full.test) throw new Error('fixture');
      const view = buildTestView(full.test, NOW, false);
      for (const kind of BADGE_KINDS) {
        const hours = badgeWindowHours(kind);
        bridge.reset();
        mark = bridge.requests.length;
        const read = await status.readTestBadge('acme/big', slug, {
          recent: HEARTBEAT_RUNS,
          ...(hours === null ? {} : { window: windowHours(NOW, hours) }),
        });
        expect(commandsSinceReset()).toHaveLength(1);
        if (!read.test) throw new Error(`no badge data for ${slug}`);
        expect(badgeContentOf(kind, read.test)).toEqual(badgeContent(kind, view));
      }
    }
    // A test of another repository, or of a private one, is not shown.
    expect(await status.readTestBadge('acme/big', 'nope', { recent: 1 })).toEqual({
      public: true,
      test: null,
    });
    expect(await status.readTestBadge('acme/quiet', 'page-000', { recent: 1 })).toEqual({
      public: false,
      test: null,
    });
  });

  it('reads one test for the API in 1 request', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    mark = bridge.requests.length;
    const one = await status.readTestStatus('acme/big', 'page-007', { recent: 100, ...pageHours(NOW) });
    expect(bridge.count()).toBe(1);
    expect(one.settings?.public).toBe(true);
    expect(one.test?.recent).toHaveLength(100);
  });

  it('stops after the settings when a repository is not public: its tests are not read', async () => {
    const status = statusStoreOf(store, { now: () => NOW });
    bridge.reset();
    mark = bridge.requests.length;
    const page = await status.readRepoStatus('acme/quiet', { recent: HEARTBEAT_RUNS, ...pageHours(NOW) });
    expect(page).toEqual({ settings: null, tests: [], history: [] });
    expect(bridge.count()).toBe(1);
  });
});
