/**
 * One deadline per run, enforced by aborting the agent: with real Chromium against a local server
 * that accepts connections and never answers, a hung run is stopped at its deadline, its browser
 * context is closed, the next test starts, and `--concurrency 2` never has more than 2 agents alive.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/adapters/agent/index.js';
import { BrowserPool } from '../../src/adapters/browser/index.js';
import { createStore } from '../../src/adapters/store/index.js';
import { runTestNow } from '../../src/app/run-now.js';
import { runSuite } from '../../src/app/run-suite.js';
import { runTests } from '../../src/app/run-tests.js';
import type { IssueTracker } from '../../src/core/incidents/tracker.js';
import type { TestDefinition } from '../../src/core/types.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { requireChromium } from '../support/system.js';
import { makeTest } from '../support/test-definitions.js';

const env = { HOUSECAT_ALLOW_PRIVATE_NETWORK: '1', HOUSECAT_CHROMIUM: process.env.HOUSECAT_CHROMIUM };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('the run deadline', () => {
  let pool: BrowserPool;
  let hung: Server;
  let healthy: Server;
  let hungUrl: string;
  let healthyUrl: string;
  const open = new Set<Socket>();
  let maxOpenContexts = 0;
  let sampler: ReturnType<typeof setInterval>;

  beforeAll(async () => {
    requireChromium();
    pool = new BrowserPool({ env });
    // Accepts every connection and never answers.
    hung = createServer(() => undefined);
    hung.on('connection', (socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    healthy = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>'),
    );
    hungUrl = await listen(hung);
    healthyUrl = await listen(healthy);
    sampler = setInterval(() => {
      maxOpenContexts = Math.max(maxOpenContexts, pool.openContexts);
    }, 10);
  });
  afterAll(async () => {
    clearInterval(sampler);
    await pool?.close();
    hung?.closeAllConnections();
    hung?.close();
    healthy?.close();
  });

  function checksTest(slug: string, url: string, timeout: number): TestDefinition {
    return makeTest(slug, {
      url: `${url}/${slug}`,
      agent: 'checks',
      timeout,
      retries: 0,
      expect: { status: 200 },
    });
  }

  it('stops a hung run at its deadline, closes its context and starts the next test', async () => {
    const agent = createAgent({ env, pool });
    const started = Date.now();
    const finishedAt: Record<string, number> = {};
    const { results } = await runTests(
      { agent },
      {
        tests: [checksTest('hung', hungUrl, 2), checksTest('next', healthyUrl, 20)],
        concurrency: 1,
        source: { kind: 'cli' },
        reporter: {
          testFinished: (t) => {
            finishedAt[t.slug] = Date.now() - started;
          },
        },
      },
    );
    // The site never answered within the test's own timeout: the site failed (issue 13).
    expect(results.map((r) => r.status)).toEqual(['failed', 'passed']);
    expect(results[0]?.reason).toBe(`no response from ${hungUrl}/hung within 2 s`);
    // Far below the 30 s navigation timeout an agent left running would wait for (a loaded machine
    // adds seconds, so the bound is loose on purpose: the reason above names the deadline).
    expect(finishedAt.hung).toBeLessThan(2000 + 20_000);
    expect(pool.openContexts).toBe(0);
  });

  it('never has more than 2 agents alive with concurrency 2', async () => {
    maxOpenContexts = 0;
    const agent = createAgent({ env, pool });
    const tests = Array.from({ length: 5 }, (_, i) => checksTest(`c${i}`, hungUrl, 1));
    let maxConnections = 0;
    const watch = setInterval(() => {
      maxConnections = Math.max(maxConnections, open.size);
    }, 10);
    const started = Date.now();
    try {
      const { outcome } = await runSuite(
        { agent, store: null },
        {
          tests,
          concurrency: 2,
          source: { kind: 'cli' },
          environment: { anthropicKey: false, tinyfishKey: false, allowPrivateNetwork: true },
        },
      );
      expect(outcome.counts.failed).toBe(5);
    } finally {
      clearInterval(watch);
    }
    // Three rounds of at most two runs of 1 s each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(maxOpenContexts).toBe(2);
    expect(maxConnections).toBeLessThanOrEqual(2);
    expect(pool.openContexts).toBe(0);
  });

  it('aborts the agent when a scheduled run reaches maxRunMs, before the test timeout', async () => {
    const store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('deadline') })!;
    const unused = (): never => {
      throw new Error('the incident tracker is not expected to be called for an inconclusive run');
    };
    const tracker: IssueTracker = {
      ensureIncidentIssue: unused,
      getIssue: unused,
      findIncidentIssue: unused,
      comment: unused,
      close: unused,
    } as unknown as IssueTracker;
    const logger = { info() {}, warn() {}, error() {} };
    const clock = { now: () => Date.now() };
    try {
      const test = checksTest('scheduled', hungUrl, 30);
      const started = Date.now();
      const outcome = await runTestNow(
        {
          store,
          agent: createAgent({ env, pool }),
          clock,
          logger,
          maxRunMs: 1500,
          incident: { store, tracker, clock },
        },
        test,
        { kind: 'schedule' },
      );
      expect(outcome.kind).toBe('ran');
      if (outcome.kind !== 'ran') return;
      expect(outcome.result.status).toBe('error');
      // Cut short by the run's budget, not the test's timeout: inconclusive, not the site's fault.
      expect(outcome.result.reason).toContain("the run's time budget of 1.5 s ran out first");
      // Stopped by the 1.5 s run budget, far below the test's own 30 s timeout (loose on purpose).
      expect(Date.now() - started).toBeLessThan(1500 + 20_000);
      // The agent was stopped, not abandoned: its context is already closed.
      expect(pool.openContexts).toBe(0);
    } finally {
      await store.close();
    }
  });
});
