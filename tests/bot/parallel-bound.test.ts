/**
 * HOUSECAT_MAX_PARALLEL_RUNS over HTTP: 20 signed deliveries at once to an app allowed 3 runs, each
 * a checks run in real Chromium against a local page that answers after 1.5 s. At most 3 browser
 * contexts are ever open; the other deliveries answer 429 with Retry-After before anything is
 * claimed, so QStash's retry of the same message runs it and records its result.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/adapters/agent/index.js';
import { BrowserPool } from '../../src/adapters/browser/index.js';
import { storageOf } from '../../src/adapters/compose-storage.js';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import { createApp } from '../../src/bot/app.js';
import type { TestDefinition } from '../../src/core/types.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { signQStashRequest } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { requireChromium } from '../support/system.js';
import { makeTest } from '../support/test-definitions.js';
import { FastOctokit, PUBLIC_URL, WEBHOOK_SECRET } from './harness.js';

const env = { HOUSECAT_ALLOW_PRIVATE_NETWORK: '1', HOUSECAT_CHROMIUM: process.env.HOUSECAT_CHROMIUM };
const ALLOWED = 3;
const DELIVERIES = 20;
/** The page answers this late while the first burst arrives, so that its 3 runs hold their slots. */
const PAGE_DELAY_MS = 1500;
/** The retry rounds need no slow page (more than 3 running is caught either way): 6 rounds less waiting. */
const RETRY_PAGE_DELAY_MS = 200;

describe('the bound on parallel runs', () => {
  let pool: BrowserPool;
  let page: Server;
  let pageUrl: string;
  let gh: GitHubServer;
  let store: RedisStore;
  let app: { url: string; server: Server; close(): Promise<void> };
  const signing = { current: `sig_cur_${randomUUID()}`, next: `sig_next_${randomUUID()}` };
  let maxOpenContexts = 0;
  let pageDelayMs = PAGE_DELAY_MS;
  let sampler: ReturnType<typeof setInterval>;

  beforeAll(async () => {
    requireChromium();
    pool = new BrowserPool({ env });
    page = createServer((_req, res) => {
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>slow but fine</p>'),
        pageDelayMs,
      );
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', () => r()));
    const address = page.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    gh = await startGitHubServer({ installations: [{ id: 11, repos: ['acme/shop'] }] });
    store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('bound') })!;
    const bot = await createApp({
      config: {
        appId: String(gh.appId),
        privateKey: gh.privateKey,
        webhookSecret: WEBHOOK_SECRET,
        publicUrl: PUBLIC_URL,
        signingKeys: signing,
        githubApiUrl: gh.url,
      },
      storage: storageOf(store),
      agent: createAgent({ env, pool }),
      logLevel: 'fatal',
      logger: { info() {}, warn() {}, error() {} },
      Octokit: FastOctokit,
      throttle: createContentThrottle({ max: 75, windowMs: 60_000 }),
      maxRunMs: 20_000,
      incidentWaitMs: 2000,
      maxParallelRuns: ALLOWED,
    });
    app = await bot.listen(0);
    sampler = setInterval(() => {
      maxOpenContexts = Math.max(maxOpenContexts, pool.openContexts);
    }, 5);
  }, 30_000);

  afterAll(async () => {
    clearInterval(sampler);
    await app?.close();
    await pool?.close();
    await store?.close();
    await gh?.close();
    page?.closeAllConnections();
    page?.close();
  });

  function checksTest(slug: string): TestDefinition {
    return makeTest(slug, {
      url: `${pageUrl}/${slug}`,
      agent: 'checks',
      timeout: 15,
      expect: { status: 200 },
    });
  }

  /** One signed delivery of `test`'s message, as QStash sends it (a retry carries a fresh token). */
  async function deliver(test: TestDefinition, messageId: string, retried: number) {
    const path = `/api/callback/${test.id}`;
    const body = JSON.stringify({ testId: test.id });
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-signature': signQStashRequest({
          signingKey: signing.current,
          url: `${PUBLIC_URL}${path}`,
          body,
        }),
        'upstash-message-id': messageId,
        'upstash-retried': String(retried),
      },
      body,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      json: (await res.json()) as Record<string, unknown>,
    };
  }

  it('never opens more than 3 browser contexts for 20 deliveries at once, and each 429 succeeds when retried', async () => {
    const tests = Array.from({ length: DELIVERIES }, (_, i) => checksTest(`bound-${i}`));
    for (const test of tests) {
      await store.applySync(test.repo, {
        upsert: [{ definition: test, contentHash: 'h', updatedAt: Date.now() }],
        remove: [],
      });
    }
    const messages = tests.map(() => `msg_${randomUUID()}`);

    const first = await Promise.all(tests.map((t, i) => deliver(t, messages[i] ?? '', 0)));
    const ran = first.filter((a) => a.status === 200);
    const refused = first.filter((a) => a.status === 429);
    expect(ran).toHaveLength(ALLOWED);
    for (const a of ran) {
      const [stored] = await store.getResults(String(a.json.testId), { limit: 1 });
      expect(a.json.status, `${JSON.stringify(a.json)}: ${stored?.reason}`).toBe('passed');
    }
    expect(refused).toHaveLength(DELIVERIES - ALLOWED);
    for (const a of refused) {
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(String(a.json.error)).toContain('busy');
    }
    expect(maxOpenContexts).toBe(ALLOWED);

    // QStash's retries: the same message ids, again all at once, until every one has run.
    pageDelayMs = RETRY_PAGE_DELAY_MS;
    let pending = tests
      .map((t, i) => ({ test: t, messageId: messages[i] ?? '' }))
      .filter((_, i) => first[i]?.status === 429);
    for (let round = 1; pending.length > 0 && round <= DELIVERIES; round++) {
      const answers = await Promise.all(pending.map((p) => deliver(p.test, p.messageId, round)));
      for (const a of answers) expect([200, 429]).toContain(a.status);
      for (const a of answers.filter((x) => x.status === 200)) {
        // The retry ran the test: not "already delivered", which would have lost it.
        expect(a.json.status).toBe('passed');
      }
      pending = pending.filter((_, i) => answers[i]?.status === 429);
    }
    expect(pending).toHaveLength(0);
    expect(maxOpenContexts).toBeLessThanOrEqual(ALLOWED);
    for (const test of tests) {
      const results = await store.getResults(test.id);
      expect(results, `results of ${test.id}`).toHaveLength(1);
    }
    expect(pool.openContexts).toBe(0);
  }, 120_000);

  it('sets the server timeouts explicitly: short request reads (the run is not part of them) and a connection cap', () => {
    // Node's requestTimeout stops when the last byte of the request arrives: a run of minutes is
    // unaffected, while a client trickling its body is cut after 30 s (tests/bot/web-limits.test.ts).
    expect(app.server.requestTimeout).toBe(30_000);
    expect(app.server.headersTimeout).toBe(10_000);
    expect(app.server.keepAliveTimeout).toBe(65_000);
    expect(app.server.maxConnections).toBe(1_000);
  });
});
