/**
 * `housecat up` and the app, given the same deliveries, record the same thing. The app gets signed
 * QStash callbacks over HTTP; `up` gets the same ticks from its in-process scheduler. Same clock,
 * same verdicts, each with its own Redis prefix and its own GitHub stand-in (the app through its
 * installation, `up` through a token). Then every stored result, the incident record, and the
 * GitHub issue with its comments are compared field by field; the only fields left out are named,
 * each with why.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssueTracker } from '../../src/adapters/github/token-tracker.js';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import type { DeliveryOutcome } from '../../src/app/handle-delivery.js';
import { type LocalApp, startLocalApp } from '../../src/bot/up/local-app.js';
import type { Agent, Clock } from '../../src/core/ports.js';
import type { RunStatus } from '../../src/core/types.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { signQStashRequest } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, PUBLIC_URL, type ScriptedAgent, scriptedAgent, startHarness } from './harness.js';

const BASE = Date.UTC(2026, 11, 7, 10, 0, 0);
const FIVE_MIN = 5 * 60_000;
const TEST = makeTest('home', { schedule: '*/5 * * * *', failureThreshold: 2 });
/** One delivery per tick: the site up, down three times, up again. */
const VERDICTS: RunStatus[] = ['passed', 'failed', 'failed', 'failed', 'passed', 'passed'];
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A result as stored, minus the one field that cannot be equal between two processes. */
function comparable(result: Record<string, unknown>) {
  // runId: a fresh UUID per run, by design (compared by position instead, see `sameText`).
  const { runId: _runId, ...rest } = result;
  return rest;
}

/** The scripted agent with every time on the shared clock (it stamps events with wall time). */
function onClock(agent: ScriptedAgent, clock: Clock): Agent {
  return {
    async run(input) {
      const result = await agent.run({
        ...input,
        ...(input.onEvent ? { onEvent: (e) => input.onEvent?.({ ...e, at: clock.now() }) } : {}),
      });
      return { ...result, steps: result.steps.map((step) => ({ ...step, at: clock.now() })) };
    },
  };
}

/**
 * GitHub text with what is each process's own replaced: the page address (PUBLIC_URL, or up's
 * localhost) and run ids (the n-th run of either side is `{run n}`).
 */
function sameText(text: string | null | undefined, url: string, runIds: readonly string[]): string {
  let out = (text ?? '').split(url).join('{page}');
  runIds.forEach((id, n) => {
    out = out.split(id).join(`{run ${n}}`);
  });
  return out;
}

describe('housecat up and the app record identical results and incidents', () => {
  const clock = { t: BASE - 60_000, now: () => clock.t };
  let h: Harness;
  let upStore: RedisStore;
  const appAgent = scriptedAgent(() => clock.now());
  const upAgent = scriptedAgent(() => clock.now());
  let upGh: GitHubServer;
  let up: LocalApp;
  let delivered: ((o: DeliveryOutcome) => void) | null = null;

  beforeAll(async () => {
    h = await startHarness({ clock, incidentWaitMs: 10_000, agent: onClock(appAgent, clock) });
    await h.addTest(TEST);
    upGh = await startGitHubServer();
    upStore = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('up'), clock }) as RedisStore;
    await upStore.applySync(TEST.repo, {
      upsert: [{ definition: TEST, contentHash: 'h', updatedAt: BASE - 60_000 }],
      remove: [],
    });
    up = await startLocalApp(
      {
        store: upStore,
        agent: onClock(upAgent, clock),
        tracker: createTokenIssueTracker({
          token: upGh.createToken(['acme/shop']),
          apiUrl: upGh.url,
          limits: upStore,
          now: () => clock.now(),
        }),
        localIssues: null,
        repo: 'acme/shop',
        access: { kind: 'local' },
        logger: quiet,
        clock,
        maxParallelRuns: 2,
        timers: false,
        onDelivered: (_test, outcome) => delivered?.(outcome),
      },
      0,
      '127.0.0.1',
    );
    up.schedule.set([TEST]);
  });

  afterAll(async () => {
    await up?.close(0);
    await upStore?.close();
    await upGh?.close();
    await h?.close();
  });

  it('delivers the same ticks to both', async () => {
    for (const [i, status] of VERDICTS.entries()) {
      // Two seconds after each tick: both record the same tick and lateness.
      clock.t = BASE + i * FIVE_MIN + 2000;
      appAgent.verdict.set(TEST.id, { status });
      upAgent.verdict.set(TEST.id, { status });
      const path = `/api/callback/${TEST.id}`;
      const body = JSON.stringify({ testId: TEST.id });
      const res = await fetch(`${h.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'upstash-message-id': `msg_${randomUUID()}`,
          'upstash-retried': '0',
          'upstash-signature': signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${path}`,
            body,
          }),
        },
        body,
      });
      expect(res.status).toBe(200);
      const outcome = new Promise<DeliveryOutcome>((resolve) => {
        delivered = resolve;
      });
      await up.schedule.checkNow();
      expect((await outcome).kind).toBe('ran');
    }
  });

  it('stores the same results, field by field', async () => {
    const app = await h.store.getResults(TEST.id);
    const local = await upStore.getResults(TEST.id);
    expect(app).toHaveLength(VERDICTS.length);
    expect(local.map((r) => comparable(r as never))).toEqual(app.map((r) => comparable(r as never)));
    expect(local.map((r) => r.tick)).toEqual(VERDICTS.map((_, i) => BASE + i * FIVE_MIN).reverse());
  });

  it('keeps the same incident record and files the same GitHub issue', async () => {
    const [appIncident, localIncident] = [
      await h.store.getIncident(TEST.id),
      await upStore.getIncident(TEST.id),
    ];
    expect(appIncident?.status).toBe('resolved');
    expect(localIncident).toEqual(appIncident);
    const appRuns = (await h.store.getResults(TEST.id)).map((r) => r.runId);
    const localRuns = (await upStore.getResults(TEST.id)).map((r) => r.runId);
    const [appIssue, ...moreApp] = h.gh.issuesOf('acme/shop');
    const [localIssue, ...moreLocal] = upGh.issuesOf('acme/shop');
    expect([moreApp, moreLocal]).toEqual([[], []]);
    expect(localIssue?.state).toBe('closed');
    const app = (t: string | null | undefined) => sameText(t, PUBLIC_URL, appRuns);
    const local = (t: string | null | undefined) => sameText(t, up.url, localRuns);
    expect(local(localIssue?.title)).toBe(app(appIssue?.title));
    expect(local(localIssue?.body)).toBe(app(appIssue?.body));
    expect(localIssue?.labels.map((l) => l.name)).toEqual(appIssue?.labels.map((l) => l.name));
    const localComments = upGh.commentsOf('acme/shop', localIssue?.number ?? 0).map((c) => local(c.body));
    const appComments = h.gh.commentsOf('acme/shop', appIssue?.number ?? 0).map((c) => app(c.body));
    expect(appComments.some((c) => c.includes('Recovered'))).toBe(true);
    expect(localComments).toEqual(appComments);
  });
});
