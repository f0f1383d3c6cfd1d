/**
 * Ticks `housecat up` did not see (the laptop slept) are recorded as missed the way the app's
 * watchdog records them: a `missed` incident, through the same use case and the same issue flow
 * (here the local tracker in Redis). The next run, on time again, answers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import {
  createLocalIssueTracker,
  type LocalIssueTracker,
} from '../../src/adapters/store/local-issue-tracker.js';
import type { DeliveryOutcome } from '../../src/app/handle-delivery.js';
import { type LocalApp, startLocalApp } from '../../src/bot/up/local-app.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { scriptedAgent } from './harness.js';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const MIN = 60_000;
const TEST = makeTest('home', { schedule: '*/5 * * * *' });

describe('housecat up after the machine slept', () => {
  // Time moves on by 1 ms at each reading, as it does: a run starts after the watchdog looked.
  const clock = { t: T0 + 30_000, now: () => ++clock.t };
  const warnings: string[] = [];
  const changes: string[] = [];
  let store: RedisStore;
  let issues: LocalIssueTracker;
  let up: LocalApp;
  let delivered: ((o: DeliveryOutcome) => void) | null = null;
  const tick = async () => {
    const outcome = new Promise<DeliveryOutcome>((resolve) => {
      delivered = resolve;
    });
    await up.schedule.checkNow();
    return outcome;
  };

  beforeAll(async () => {
    store = createStore(
      { REDIS_URL: testRedisUrl() },
      { prefix: uniquePrefix('up-missed'), clock },
    ) as RedisStore;
    await store.applySync(TEST.repo, {
      upsert: [{ definition: TEST, contentHash: 'h', updatedAt: T0 }],
      remove: [],
    });
    issues = createLocalIssueTracker(store, {
      urlOf: (repo, n) => `http://127.0.0.1/local/${repo}/issues/${n}`,
      now: () => clock.now(),
      onChange: (c) => changes.push(`${c.kind} #${c.issue.number}`),
    });
    up = await startLocalApp(
      {
        store,
        agent: scriptedAgent(() => clock.now()),
        tracker: issues,
        localIssues: issues,
        repo: 'acme/shop',
        access: { kind: 'local' },
        logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
        clock,
        maxParallelRuns: 2,
        timers: false,
        onDelivered: (_t, o) => delivered?.(o),
      },
      0,
      '127.0.0.1',
    );
    up.schedule.set([TEST]);
  });

  afterAll(async () => {
    await up?.close(0);
    await store?.close();
  });

  it('opens a missed incident for the ticks it slept through, then the next run resolves it', async () => {
    clock.t = T0 + 5 * MIN + 2000;
    expect((await tick()).kind).toBe('ran');
    expect(await store.getIncident(TEST.id)).toBeNull();
    // Asleep until 11:00: the ticks of 10:10 … 10:55 never came.
    clock.t = T0 + 60 * MIN + 2000;
    const outcome = await tick();
    expect(warnings.some((w) => w.includes('10 tick(s) passed without a run'))).toBe(true);
    expect(
      warnings.some((w) => /watchdog: acme--shop--home: no runs since 2026-12-07 10:05 UTC/.test(w)),
    ).toBe(true);
    // The watchdog opened a `missed` incident; the on-time run at 11:00 passed and resolved it.
    expect(changes).toEqual(['opened #1', 'closed #1']);
    expect(outcome).toMatchObject({ kind: 'ran', status: 'passed', incident: 'resolve' });
    const issue = await issues.read('acme/shop', 1);
    expect(issue?.body).toContain('no runs since');
    expect(issue?.state).toBe('closed');
    const incident = await store.getIncident(TEST.id);
    expect(incident).toMatchObject({ kind: 'missed', status: 'resolved' });
    expect(incident?.since).toBeGreaterThan(T0 + 5 * MIN + 2000);
    expect(incident?.since).toBeLessThan(T0 + 5 * MIN + 3000);
  });
});
