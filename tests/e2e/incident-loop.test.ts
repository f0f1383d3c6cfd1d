/**
 * The whole production loop on one machine:
 * the demo app (behind a switch that can break it) ← the checks agent in real Chromium
 * ← the bot over real HTTP ← QStash stand-in delivering the schedules `housecat sync` created
 * (fast-forwarded cron clock), every delivery sent three times at once by the load balancer in front
 * of the bot ← the store over @upstash/redis through the Upstash bridge to a real redis-server
 * → the GitHub stand-in, where the incident issues appear.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error the demo app is plain JavaScript
import { startDemoApp } from '../../examples/demo/app.mjs';
import { createAgent } from '../../src/adapters/agent/index.js';
import { BrowserPool } from '../../src/adapters/browser/index.js';
import { storageOf } from '../../src/adapters/compose-storage.js';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import { createApp } from '../../src/bot/app.js';
import { main } from '../../src/cli/main.js';
import { FastOctokit } from '../bot/harness.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { type QStashServer, signQStashRequest, startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { requireChromium } from '../support/system.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const REPO = 'acme/shop';
const TEST_ID = 'acme--shop--login-page';

interface Demo {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0 and returns the base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function readAll(req: import('node:http').IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('end to end: schedules → bot → incidents', () => {
  let redisBridge: UpstashBridge;
  let qstash: QStashServer;
  let gh: GitHubServer;
  let healthy: Demo;
  let broken: Demo;
  let site: Server;
  let balancer: Server;
  let store: RedisStore;
  let pool: BrowserPool;
  let closeBot: () => Promise<void>;
  let target: 'healthy' | 'broken' = 'healthy';
  let botUrl = '';
  /** Responses the bot gave to the three copies of each delivery attempt, by QStash message id. */
  const copies: { messageId: string; answers: { status: number; body: string }[] }[] = [];

  beforeAll(async () => {
    requireChromium();
    const prefix = uniquePrefix('e2e');
    redisBridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    qstash = await startQStashServer();
    gh = await startGitHubServer({ installations: [{ id: 31, repos: [REPO] }] });
    healthy = await startDemoApp();
    broken = await startDemoApp({ broken: true });

    // The site the test watches: a switch in front of the healthy and the broken demo app (a deploy).
    site = createServer(async (req, res) => {
      const upstream = await fetch(`${target === 'healthy' ? healthy.url : broken.url}${req.url}`, {
        method: req.method,
        redirect: 'manual',
      });
      res
        .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/html' })
        .end(Buffer.from(await upstream.arrayBuffer()));
    });
    const siteUrl = await listen(site);

    const env = {
      UPSTASH_REDIS_REST_URL: redisBridge.url,
      UPSTASH_REDIS_REST_TOKEN: redisBridge.token,
      HOUSECAT_REDIS_PREFIX: prefix,
      QSTASH_URL: qstash.url,
      QSTASH_TOKEN: qstash.token,
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
    };
    store = createStore(env)!;
    pool = new BrowserPool({ env: {} });

    // The load balancer in front of the bot: every delivery reaches the bot three times at once —
    // the original, an exact replay, and a re-signed copy with the same message id (QStash's
    // at-least-once delivery). QStash sees the first answer.
    balancer = createServer(async (req, res) => {
      const body = await readAll(req);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k),
        ),
      ) as Record<string, string>;
      const resigned = {
        ...headers,
        'upstash-signature': signQStashRequest({
          signingKey: qstash.currentSigningKey,
          url: `${publicUrl}${req.url}`,
          body: body.toString('utf8'),
        }),
      };
      const send = async (h: Record<string, string>) => {
        const r = await fetch(`${botUrl}${req.url}`, {
          method: 'POST',
          headers: h,
          body: body.toString('utf8'),
        });
        return { status: r.status, body: await r.text() };
      };
      const answers = await Promise.all([send(headers), send(headers), send(resigned)]);
      copies.push({ messageId: headers['upstash-message-id'] ?? '', answers });
      res.writeHead(answers[0]!.status, { 'content-type': 'application/json' }).end(answers[0]!.body);
    });
    const publicUrl = await listen(balancer);

    // The real app, configured with the public URL QStash signs for.
    const bot = await createApp({
      config: {
        appId: String(gh.appId),
        privateKey: gh.privateKey,
        webhookSecret: 'e2e-secret',
        publicUrl,
        signingKeys: { current: qstash.currentSigningKey, next: qstash.nextSigningKey },
        githubApiUrl: gh.url,
      },
      storage: storageOf(store),
      agent: createAgent({ env, pool }),
      logLevel: 'fatal',
      logger: { info() {}, warn() {}, error() {} },
      Octokit: FastOctokit,
      throttle: createContentThrottle(),
    });
    const server = await bot.listen(0);
    botUrl = server.url;
    closeBot = server.close;

    // housecat sync creates the test in Redis and its QStash schedule.
    const dir = mkdtempSync(join(tmpdir(), 'housecat-e2e-'));
    const file = join(dir, 'housecat.yml');
    writeFileSync(
      file,
      [
        'version: 1',
        'tests:',
        '  - name: Login page',
        '    id: login-page',
        `    url: ${siteUrl}/login`,
        '    schedule: "*/5 * * * *"',
        '    agent: checks',
        '    expect:',
        '      status: 200',
        '      text: ["Sign in", "Password"]',
      ].join('\n'),
    );
    const out: string[] = [];
    const code = await main(['sync', '--config', file, '--repo', REPO, '--callback-url', publicUrl], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      env,
      cwd: dir,
      isTTY: false,
    });
    expect(code, out.join('\n')).toBe(0);
    // Sync also made the watchdog's schedule (every 5 min); this loop counts the test's own
    // deliveries only, and the watchdog has its own end-to-end test (tests/bot/watchdog.test.ts).
    expect(qstash.schedules.delete('housecat-watchdog')).toBe(true);
  });

  afterAll(async () => {
    await closeBot?.();
    await pool?.close();
    await store?.close();
    for (const s of [site, balancer]) await new Promise((r) => s?.close(r));
    await Promise.all([
      healthy?.close(),
      broken?.close(),
      qstash?.close(),
      gh?.close(),
      redisBridge?.close(),
    ]);
  });

  /** Sends a webhook to the bot, signed with its secret, as GitHub does. */
  async function sendWebhook(event: string, payload: unknown): Promise<number> {
    const body = JSON.stringify(payload);
    const res = await fetch(`${botUrl}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'e2e-secret').update(body).digest('hex')}`,
      },
      body,
    });
    return res.status;
  }

  /** A real `issues` example payload, turned into "alice closed issue N of acme/shop". */
  function closedPayload(number: number, body: string): unknown {
    const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
    const p = structuredClone(
      examples
        .find((e) => e.name === 'issues')!
        .examples.find((e) => (e as { action?: string }).action === 'reopened'),
    ) as unknown as {
      action: string;
      issue: { number: number; body: string; state: string };
      repository: { full_name: string; name: string; owner: { login: string } };
      sender: { login: string; type: string };
      installation?: { id: number };
    };
    p.action = 'closed';
    p.issue = { ...p.issue, number, body, state: 'closed' };
    p.repository = {
      ...p.repository,
      full_name: REPO,
      name: 'shop',
      owner: { ...p.repository.owner, login: 'acme' },
    };
    p.sender = { ...p.sender, login: 'alice', type: 'User' };
    p.installation = { id: 31 };
    return p;
  }

  /** Moves the cron clock 5 minutes: the schedule fires once. */
  async function tick(): Promise<void> {
    const deliveries = await qstash.advance(5 * 60_000);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.delivered).toBe(true);
  }

  it('opens exactly one issue after the threshold, closes it with a summary on recovery, opens a new one on the next breakage, and respects a person closing it', async () => {
    const [schedule] = [...qstash.schedules.values()];
    expect(schedule?.destination).toMatch(new RegExp(`/api/callback/${TEST_ID}$`));

    await tick(); // healthy
    target = 'broken';
    await tick(); // failure 1: below the threshold
    expect(gh.issuesOf(REPO)).toHaveLength(0);
    await tick(); // failure 2: the incident opens
    expect(gh.issuesOf(REPO)).toHaveLength(1);
    await tick(); // failure 3, same reason: no new issue, no comment
    const [issue] = gh.issuesOf(REPO);
    expect(issue?.title).toBe('🔴 Login page is failing');
    expect(issue?.state).toBe('open');
    expect(issue?.body).toContain(`<!-- housecat:incident test=${TEST_ID} -->`);
    expect(issue?.body).toContain('500');
    expect(gh.commentsOf(REPO, issue!.number)).toHaveLength(0);

    target = 'healthy';
    await tick(); // recovered
    const closed = gh.issuesOf(REPO)[0]!;
    expect(closed.state).toBe('closed');
    const comments = gh.commentsOf(REPO, closed.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('Recovered');
    expect(comments[0]?.body).toContain('| Failed runs | 3 |');

    target = 'broken';
    await tick();
    await tick();
    expect(gh.issuesOf(REPO).map((i) => i.state)).toEqual(['closed', 'open']);

    // A person closes the new issue while the app is still broken: acknowledged, never reopened,
    // no new issue while it keeps failing; after recovery the summary goes to the closed issue.
    const second = gh.issuesOf(REPO)[1]!;
    gh.closeAsUser(REPO, second.number, 'alice');
    expect(await sendWebhook('issues', closedPayload(second.number, second.body ?? ''))).toBe(200);
    // Answered at once; the acknowledgement is applied from the outbox right after.
    await vi.waitFor(async () => expect((await store.getIncident(TEST_ID))?.status).toBe('acknowledged'), {
      timeout: 15_000,
      interval: 20,
    });
    await tick();
    await tick();
    expect(gh.issuesOf(REPO).map((i) => i.state)).toEqual(['closed', 'closed']);
    target = 'healthy';
    await tick();
    expect(gh.commentsOf(REPO, second.number).map((c) => c.body.includes('Recovered'))).toEqual([true]);
    target = 'broken';
    await tick();
    await tick();
    expect(gh.issuesOf(REPO).map((i) => i.state)).toEqual(['closed', 'closed', 'open']);

    // Each of the 12 scheduled messages ran exactly once although every attempt reached the bot three
    // times. A copy that arrives while its twin runs answers 429 (QStash retries it later, and the
    // retry finds the message done); any other copy is a 200 duplicate.
    const byMessage = new Map<string, typeof copies>();
    for (const c of copies) byMessage.set(c.messageId, [...(byMessage.get(c.messageId) ?? []), c]);
    expect(byMessage.size).toBe(12);
    for (const attempts of byMessage.values()) {
      const answers = attempts.flatMap((a) => a.answers);
      const ran = answers.filter((a) => a.status === 200 && a.body.includes('"runId"'));
      expect(ran).toHaveLength(1);
      for (const a of answers.filter((x) => !ran.includes(x))) {
        expect(a.status === 429 || (a.status === 200 && a.body.includes('"duplicate"')), a.body).toBe(true);
      }
      // QStash stops retrying once an attempt's first answer is a 200.
      expect(attempts.at(-1)?.answers[0]?.status).toBe(200);
    }

    const results = await store.getResults(TEST_ID, { limit: 100 });
    expect(results.map((r) => r.status).reverse()).toEqual([
      'passed',
      'failed',
      'failed',
      'failed',
      'passed',
      'failed',
      'failed',
      'failed',
      'failed',
      'passed',
      'failed',
      'failed',
    ]);
  });
});
