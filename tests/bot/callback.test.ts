import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageOf } from '../../src/adapters/compose-storage.js';
import { signQStashRequest } from '../support/qstash-server.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, PUBLIC_URL, startHarness } from './harness.js';

const TEST = makeTest('login-flow', { name: 'Login Flow' });
const PATH = `/api/callback/${TEST.id}`;
const BODY = JSON.stringify({ testId: TEST.id });

describe('POST /api/callback/{testId}', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ maxRunMs: 1500, incidentWaitMs: 1500 });
    await h.addTest(TEST);
  });
  afterAll(() => h.close());

  async function deliver(
    options: {
      signature?: string | null;
      body?: string;
      path?: string;
      messageId?: string;
      retried?: number;
    } = {},
  ) {
    const body = options.body ?? BODY;
    const path = options.path ?? PATH;
    const signature =
      options.signature === undefined
        ? signQStashRequest({ signingKey: h.signing.current, url: `${PUBLIC_URL}${path}`, body })
        : options.signature;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'upstash-message-id': options.messageId ?? `msg_${randomUUID()}`,
      'upstash-retried': String(options.retried ?? 0),
    };
    if (signature !== null) headers['upstash-signature'] = signature;
    const res = await fetch(`${h.url}${path}`, { method: 'POST', headers, body: options.body ?? BODY });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
  }

  describe('signature', () => {
    const rejected: [string, () => { signature?: string | null; body?: string }][] = [
      ['the header is missing', () => ({ signature: null })],
      [
        'the key is wrong',
        () => ({
          signature: signQStashRequest({
            signingKey: 'not-the-key',
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
          }),
        }),
      ],
      [
        'the token says alg none',
        () => {
          const good = signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
          });
          const [, payload] = good.split('.');
          const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
          return { signature: `${header}.${payload}.` };
        },
      ],
      [
        'the body changed by one byte',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
          }),
          body: BODY.replace('}', ' '),
        }),
      ],
      [
        'the token is for another URL',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `https://evil.example${PATH}`,
            body: BODY,
          }),
        }),
      ],
      [
        'the token is for another test',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}/api/callback/acme--shop--other`,
            body: BODY,
          }),
        }),
      ],
      [
        'the token expired',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
            now: Date.now() - 10 * 60_000,
          }),
        }),
      ],
      [
        'the token is not valid yet',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
            notBeforeS: 120,
          }),
        }),
      ],
      [
        'the payload was altered after signing',
        () => {
          const [head, payload, sig] = signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
          }).split('.');
          const p = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
          p.exp = Math.floor(Date.now() / 1000) + 86_400;
          return { signature: `${head}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}` };
        },
      ],
      [
        'the issuer is not Upstash',
        () => ({
          signature: signQStashRequest({
            signingKey: h.signing.current,
            url: `${PUBLIC_URL}${PATH}`,
            body: BODY,
            issuer: 'Mallory',
          }),
        }),
      ],
    ];
    for (const [what, make] of rejected) {
      it(`answers 401 and writes nothing when ${what}`, async () => {
        const before = await h.keys();
        const calls = h.agent.calls.length;
        const res = await deliver(make());
        expect(res.status).toBe(401);
        expect(await h.keys()).toEqual(before);
        expect(h.agent.calls.length).toBe(calls);
      });
    }

    it('answers 401 when a token signed for the URL is sent to the same URL with a query added', async () => {
      const before = await h.keys();
      const calls = h.agent.calls.length;
      const signature = signQStashRequest({
        signingKey: h.signing.current,
        url: `${PUBLIC_URL}${PATH}`,
        body: BODY,
      });
      const res = await deliver({ signature, path: `${PATH}?x=1` });
      expect(res.status).toBe(401);
      expect(await h.keys()).toEqual(before);
      expect(h.agent.calls.length).toBe(calls);
    });

    it('runs the test when the signed URL has a query and the request carries exactly that query', async () => {
      const res = await deliver({ path: `${PATH}?region=eu` });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: true, testId: TEST.id });
    });

    it('runs the test for a token signed with the current key', async () => {
      const res = await deliver();
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: true, testId: TEST.id, status: 'passed' });
    });

    it('runs the test for a token signed with the next key (key rotation)', async () => {
      const signature = signQStashRequest({
        signingKey: h.signing.next,
        url: `${PUBLIC_URL}${PATH}`,
        body: BODY,
      });
      const res = await deliver({ signature });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe('passed');
    });

    it('accepts a token a few seconds ahead of our clock (tolerance)', async () => {
      const signature = signQStashRequest({
        signingKey: h.signing.current,
        url: `${PUBLIC_URL}${PATH}`,
        body: BODY,
        notBeforeS: 2,
      });
      expect((await deliver({ signature })).status).toBe(200);
    });
  });

  it('records the result, timing and events, without the screenshot', async () => {
    const res = await deliver();
    const runId = res.json.runId as string;
    const [latest] = await h.store.getResults(TEST.id, { limit: 1 });
    expect(latest).toMatchObject({ runId, status: 'passed', source: { kind: 'schedule' } });
    expect((await h.store.getTimings(TEST.id, { limit: 1 }))[0]?.runId).toBe(runId);
    const events = await h.store.readEvents(TEST.id);
    expect(events.filter((e) => e.runId === runId).map((e) => e.type)).toEqual(['step', 'pass']);
    const raw = await h.keys();
    expect(raw.some((k) => k.includes('screenshot'))).toBe(false);
  });

  it('runs a message once when QStash delivers it three times at once', async () => {
    const messageId = `msg_${randomUUID()}`;
    const signature = signQStashRequest({
      signingKey: h.signing.current,
      url: `${PUBLIC_URL}${PATH}`,
      body: BODY,
    });
    const calls = h.agent.calls.length;
    const fresh = signQStashRequest({
      signingKey: h.signing.current,
      url: `${PUBLIC_URL}${PATH}`,
      body: BODY,
    });
    const results = await Promise.all([
      deliver({ signature, messageId }),
      deliver({ signature, messageId }),
      deliver({ signature: fresh, messageId }),
    ]);
    // One runs; the copy with the same token is a replayed token (200). The copy with its own token
    // finds the message done (a duplicate, 200) or still running: then 429, so QStash retries it
    // instead of taking it as delivered.
    expect(h.agent.calls.length - calls).toBe(1);
    expect(results.filter((r) => r.status === 200 && r.json.status === 'passed')).toHaveLength(1);
    expect(results.filter((r) => r.json.duplicate === 'token already used')).toHaveLength(1);
    const third = results.find((r) => !r.json.status && r.json.duplicate !== 'token already used');
    const shown = JSON.stringify(results.map((r) => r.json));
    if (third?.status === 429) expect(third.headers.get('retry-after'), shown).toMatch(/^\d+$/);
    else expect(third?.json.duplicate, shown).toBe('message already delivered');
  });

  it('refuses to replay a used token under a new message id', async () => {
    const signature = signQStashRequest({
      signingKey: h.signing.current,
      url: `${PUBLIC_URL}${PATH}`,
      body: BODY,
    });
    await deliver({ signature });
    const calls = h.agent.calls.length;
    const replay = await deliver({ signature, messageId: `msg_${randomUUID()}` });
    expect(replay.json.duplicate).toBe('token already used');
    expect(h.agent.calls.length).toBe(calls);
  });

  it('never runs the same test twice at once, and answers 429 with Retry-After to the busy one', async () => {
    const slow = makeTest('slow-page', { timeout: 5 });
    await h.addTest(slow);
    h.agent.verdict.set(slow.id, { status: 'passed', delayMs: 400 });
    const path = `/api/callback/${slow.id}`;
    const [a, b] = await Promise.all([deliver({ path }), deliver({ path })]);
    expect([a.json.status, b.json.status].filter(Boolean)).toEqual(['passed']);
    // Two different messages: the busy one is not dropped with a 200, QStash retries it later.
    const busy = a.status === 200 ? b : a;
    expect(busy.status, JSON.stringify(busy.json)).toBe(429);
    expect(String(busy.json.error)).toContain('already in progress');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Its retry, once the run is over, runs.
    const messageId = `msg_${randomUUID()}`;
    const retry = await deliver({ path, messageId, retried: 1 });
    expect(retry.status, JSON.stringify(retry.json)).toBe(200);
    expect(retry.json.status).toBe('passed');
  });

  it('answers 489 with Upstash-NonRetryable-Error for an unknown test', async () => {
    const res = await deliver({ path: '/api/callback/acme--shop--removed' });
    expect(res.status).toBe(489);
    expect(res.headers.get('upstash-nonretryable-error')).toBe('true');
    expect(String(res.json.error)).toContain('acme--shop--removed');
  });

  it('records an error result when the run passes its deadline', async () => {
    const hung = makeTest('hung', { timeout: 1 });
    await h.addTest(hung);
    h.agent.verdict.set(hung.id, { status: 'passed', delayMs: 10_000 });
    const res = await deliver({ path: `/api/callback/${hung.id}` });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('error');
    const [stored] = await h.store.getResults(hung.id, { limit: 1 });
    expect(stored?.reason).toContain('deadline');
  });

  it('answers 503 so QStash retries when Redis fails, and runs nothing', async () => {
    const { createStore } = await import('../../src/adapters/store/index.js');
    const { createApp } = await import('../../src/bot/app.js');
    const { freePort } = await import('../support/redis-server.js');
    const dead = createStore({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, { timeoutMs: 500 })!;
    const calls = h.agent.calls.length;
    const app = await createApp({
      config: {
        appId: String(h.gh.appId),
        privateKey: h.gh.privateKey,
        webhookSecret: 'x',
        publicUrl: PUBLIC_URL,
        signingKeys: h.signing,
        githubApiUrl: h.gh.url,
      },
      storage: storageOf(dead),
      agent: h.agent,
      logLevel: 'fatal',
      logger: { info() {}, warn() {}, error() {} },
    });
    const server = await app.listen(0);
    try {
      const signature = signQStashRequest({
        signingKey: h.signing.current,
        url: `${PUBLIC_URL}${PATH}`,
        body: BODY,
      });
      const res = await fetch(`${server.url}${PATH}`, {
        method: 'POST',
        headers: { 'upstash-signature': signature, 'upstash-message-id': 'm1' },
        body: BODY,
      });
      expect(res.status).toBe(503);
      expect(h.agent.calls.length).toBe(calls);
    } finally {
      await server.close();
      await dead.close().catch(() => undefined);
    }
  });

  it('keeps the issue work in the outbox when GitHub fails after the run was recorded, and finishes it without QStash', async () => {
    const broken = makeTest('github-down', { name: 'GitHub down' });
    await h.addTest(broken);
    h.agent.verdict.set(broken.id, { status: 'failed' });
    const path = `/api/callback/${broken.id}`;
    expect((await deliver({ path })).status).toBe(200); // failure 1
    h.gh.failNext('POST /repos/{owner}/{repo}/issues', { status: 502, message: 'Bad Gateway' });
    const first = await deliver({ path }); // failure 2: the incident opens, GitHub answers 502
    // The run and the decision are saved, and so is the create: QStash has nothing left to retry.
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ status: 'failed', incident: 'pending' });
    const [queued] = await h.store.outbox.pending(broken.id);
    expect(queued).toMatchObject({ kind: 'create' });
    // Nobody delivers again: the drainer retries after its pause by itself.
    const title = '🔴 GitHub down is failing';
    for (let i = 0; i < 100 && h.gh.issuesOf('acme/shop').every((x) => x.title !== title); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(h.gh.issuesOf('acme/shop').filter((x) => x.title === title)).toHaveLength(1);
    const creates = h.gh.requests.filter(
      (r) =>
        r.route === 'POST /repos/{owner}/{repo}/issues' && (r.body as { title?: string }).title === title,
    );
    expect(creates.map((r) => r.status)).toEqual([502, 201]);
    expect(await h.store.outbox.pending(broken.id)).toEqual([]);
    expect((await h.store.getIncident(broken.id))?.issueNumber).toBeDefined();
  });

  it('gives up an issue GitHub refuses for good (410 issues disabled) and records why on the incident', async () => {
    const refused = makeTest('issues-off', { name: 'Issues off' });
    await h.addTest(refused);
    h.agent.verdict.set(refused.id, { status: 'failed' });
    const path = `/api/callback/${refused.id}`;
    await deliver({ path });
    h.gh.failNext('POST /repos/{owner}/{repo}/issues', {
      status: 410,
      message: 'Issues are disabled for this repo',
    });
    const creates = () => h.gh.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues').length;
    const before = creates();
    const res = await deliver({ path });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(await h.store.outbox.pending(refused.id)).toEqual([]);
    expect(creates() - before, 'a refused create must not be retried').toBe(1);
    expect(await h.store.getIncident(refused.id)).toMatchObject({
      status: 'open',
      githubError: expect.stringContaining('Issues are disabled'),
    });
  });

  it('answers QStash before a slow GitHub finishes, and the issue still opens once', async () => {
    const slow = makeTest('slow-github', { name: 'Slow GitHub' });
    await h.addTest(slow);
    h.agent.verdict.set(slow.id, { status: 'failed' });
    const path = `/api/callback/${slow.id}`;
    await deliver({ path });
    h.gh.failNext('POST /repos/{owner}/{repo}/issues', { apply: true, delayMs: 4000 });
    const res = await deliver({ path });
    expect(res.json, JSON.stringify(res.json)).toMatchObject({ status: 'failed', incident: 'pending' });
    // A run arriving meanwhile leaves the issue to the update in progress.
    expect((await deliver({ path })).json).toMatchObject({ status: 'failed', incident: 'pending' });
    let incident = await h.store.getIncident(slow.id);
    for (let i = 0; i < 100 && incident?.issueNumber === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      incident = await h.store.getIncident(slow.id);
    }
    expect(incident?.issueNumber).toBeDefined();
    expect(h.gh.issuesOf('acme/shop').filter((i) => i.title === '🔴 Slow GitHub is failing')).toHaveLength(1);
  });

  it('serves GET /healthz', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it('does not accept a signature made with the HMAC of the body alone', async () => {
    const signature = createHmac('sha256', h.signing.current).update(BODY).digest('base64url');
    expect((await deliver({ signature })).status).toBe(401);
  });
});
