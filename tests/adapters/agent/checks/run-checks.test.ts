import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../../../src/adapters/agent/checks/index.js';
import { BrowserPool } from '../../../../src/adapters/browser/index.js';
import type { RunEvent } from '../../../../src/core/types.js';
import { type FixtureApps, startFixtureApps } from '../../../support/fixture-apps.js';
import { type StaticServer, startStaticServer } from '../../../support/static-server.js';
import { requireChromium } from '../../../support/system.js';
import { makeTest } from '../../../support/test-definitions.js';

let apps: FixtureApps;
let site: StaticServer;
let pool: BrowserPool;

beforeAll(async () => {
  const executablePath = requireChromium();
  pool = new BrowserPool({ env: {}, executablePath });
  apps = await startFixtureApps();
  site = await startStaticServer({
    '/hidden': '<h1>Status</h1><p style="display:none">Welcome</p><p>Service down</p>',
    '/spaces': '<h1>Hello,\n   <b>World</b></h1>',
    '/moved': { status: 302, body: '', headers: { location: '/target' } },
    '/target': '<h1>Arrived</h1>',
  });
});

afterAll(async () => {
  await pool?.close();
  await apps?.close();
  await site?.close();
});

function run(
  url: string,
  expectations: object,
  extra: { allowPrivateNetwork?: boolean; events?: RunEvent[]; textWaitMs?: number } = {},
) {
  const events = extra.events ?? [];
  return runChecks(
    {
      test: makeTest('checks', { url, expect: expectations }),
      runId: 'run-1',
      onEvent: (e) => events.push(e),
    },
    {
      pool,
      allowPrivateNetwork: extra.allowPrivateNetwork ?? true,
      textWaitMs: extra.textWaitMs ?? 2000,
    },
  );
}

describe('runChecks', () => {
  it('passes when status, text and time all hold, with one step per check', async () => {
    const events: RunEvent[] = [];
    const result = await run(
      `${apps.url}/ok/login`,
      { status: 200, text: ['Sign in', 'demo account'], maxMs: 10_000 },
      { events },
    );
    expect(result.status, result.reason).toBe('passed');
    expect(result.agent).toBe('checks');
    expect(result.steps.map((s) => s.action)).toEqual([
      'navigate',
      'check:status',
      'check:text',
      'check:text',
      'check:max_ms',
    ]);
    expect(result.steps.every((s) => s.ok)).toBe(true);
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    expect(result.evidence.finalUrl).toBe(`${apps.url}/ok/login`);
    expect(result.evidence.excerpt).toContain('Sign in');
    expect(result.evidence.screenshotBase64).toBeUndefined();
    expect(result.usage).toEqual({ llmCalls: 0, inputTokens: 0, outputTokens: 0 });
    expect(events.map((e) => e.type)).toEqual(['step', 'step', 'step', 'step', 'step', 'pass']);
    expect(events.at(-1)?.message).toBe(result.reason);
  });

  it('fails naming the status when the server answers 500, with a screenshot', async () => {
    const result = await run(`${apps.url}/500/login`, { status: 200 });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('expected status 200, got 500');
    expect(result.evidence.screenshotBase64?.length).toBeGreaterThan(100);
    expect(
      Buffer.from(result.evidence.screenshotBase64 ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('fails any 4xx/5xx status when no status is expected', async () => {
    const result = await run(`${apps.url}/nope`, { text: ['Not found'] });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('expected status below 400, got 404');
  });

  it('reads the status of an error response with an empty body', async () => {
    site.route('/empty404', { status: 404, body: '' });
    site.route('/empty500', { status: 500, body: '' });
    const notFound = await run(`${site.url}/empty404`, { status: 404 });
    expect(notFound.status, notFound.reason).toBe('passed');
    const broken = await run(`${site.url}/empty500`, { status: 200 });
    expect(broken.status).toBe('failed');
    expect(broken.reason).toBe('expected status 200, got 500');
    const any = await run(`${site.url}/empty500`, {});
    expect(any.reason).toBe('expected status below 400, got 500');
  });

  it('fails naming exactly the text that is missing', async () => {
    // Text that never comes costs the whole wait: a short one (the /js test keeps the long one).
    const result = await run(`${apps.url}/ok/login`, { text: ['Sign in', 'Welcome'] }, { textWaitMs: 300 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^text "Welcome" not found on the page; the page shows: ".*Sign in.*"$/);
    const textSteps = result.steps.filter((s) => s.action === 'check:text');
    expect(textSteps.map((s) => s.ok)).toEqual([true, false]);
  });

  it('does not count hidden text as present, and collapses whitespace', async () => {
    const hidden = await run(`${site.url}/hidden`, { text: ['Welcome'] }, { textWaitMs: 300 });
    expect(hidden.status).toBe('failed');
    expect(hidden.reason).toBe('text "Welcome" not found on the page; the page shows: "Status Service down"');
    const spaces = await run(`${site.url}/spaces`, { text: ['Hello, World'] });
    expect(spaces.status, spaces.reason).toBe('passed');
  });

  it('finds text whose case CSS changes, as the evidence check does (one visible text)', async () => {
    site.route(
      '/upper',
      '<button style="text-transform:uppercase">Login</button><p>Forgot  your\n password?</p>',
    );
    const result = await run(`${site.url}/upper`, { text: ['Login', 'LOGIN', 'forgot your password?'] });
    expect(result.status, result.reason).toBe('passed');
  });

  it('counts text that JavaScript adds after load', async () => {
    const result = await run(`${apps.url}/js`, { status: 200, text: ['Ready: 42 items'] });
    expect(result.status, result.reason).toBe('passed');
  });

  it('fails naming the time and the limit when the document is too slow', async () => {
    const result = await run(`${apps.url}/slow?ms=600`, { status: 200, maxMs: 300 });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^took \d+ ms, limit 300 ms$/);
    expect(result.responseMs).toBeGreaterThanOrEqual(600);
    expect(result.responseMs).toBeLessThan(5000);
  });

  it('reports every failing check, not only the first', async () => {
    const result = await run(`${apps.url}/500/login`, { status: 200, text: ['Sign in'] });
    expect(result.reason).toMatch(
      /^expected status 200, got 500; text "Sign in" not found on the page; the page shows: /,
    );
  });

  it('follows a redirect on the same host and checks the final document', async () => {
    const result = await run(`${site.url}/moved`, { status: 200, text: ['Arrived'] });
    expect(result.status, result.reason).toBe('passed');
    expect(result.evidence.finalUrl).toBe(`${site.url}/target`);
  });

  it('fails when nothing listens at the URL', async () => {
    const closed = await startStaticServer({});
    const url = `${closed.url}/`;
    await closed.close();
    const result = await run(url, { status: 200 });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('could not be loaded');
    expect(result.reason).toMatch(/ECONNREFUSED|ERR_CONNECTION_REFUSED/);
  });

  it('refuses a loopback URL without the private-network flag and names the flag', async () => {
    const before = apps.requests.length;
    const result = await run(`${apps.url}/ok/login`, { status: 200 }, { allowPrivateNetwork: false });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK=1');
    expect(result.reason).toContain('loopback');
    expect(apps.requests.length).toBe(before);
  });

  it('blocks a redirect to another host: error, and the canary gets zero connections', async () => {
    const result = await run(`${apps.url}/hostile/redirect`, { status: 200 });
    expect(result.status).toBe('error');
    expect(result.reason).toContain(apps.canary.host);
    expect(result.reason).toContain('not an allowed host');
    expect(result.steps.some((s) => s.action === 'blocked')).toBe(true);
    const chain = await run(`${apps.url}/hostile/redirect-chain`, { status: 200 });
    expect(chain.status).toBe('error');
    expect(apps.canary.connections).toBe(0);
    expect(apps.canary.requests).toEqual([]);
  });

  it('records blocked subresources of hostile pages as steps and keeps the canary untouched', async () => {
    const framed = await run(`${apps.url}/hostile/frame`, { text: ['Framed'] });
    expect(framed.status, framed.reason).toBe('passed');
    const framedBlocks = framed.steps.filter((s) => s.action === 'blocked');
    expect(framedBlocks.map((s) => s.target)).toContain(`${apps.canary.url}/framed`);

    const fetching = await run(`${apps.url}/hostile/fetch`, { text: ['fetch page done'] });
    expect(fetching.status, fetching.reason).toBe('passed');
    const targets = fetching.steps.filter((s) => s.action === 'blocked').map((s) => s.target ?? '');
    expect(targets.length).toBeGreaterThanOrEqual(3);
    expect(targets.every((t) => t.includes(apps.canary.host))).toBe(true);

    // Script navigation, popups and links: whatever the page tries, nothing reaches the canary.
    for (const path of ['/hostile/location', '/hostile/popup', '/hostile/link']) {
      await run(`${apps.url}${path}`, {});
    }
    expect(apps.canary.connections).toBe(0);
    expect(apps.canary.requests).toEqual([]);
  });

  it('refuses a public-looking name that resolves to the metadata address, before any request', async () => {
    const result = await runChecks(
      { test: makeTest('dns', { url: 'http://status.attacker.example/' }), runId: 'r' },
      {
        pool,
        allowPrivateNetwork: false,
        lookup: async () => [{ address: '169.254.169.254', family: 4 }],
      },
    );
    expect(result.status).toBe('error');
    expect(result.reason).toBe(
      'Refused to open http://status.attacker.example/: status.attacker.example resolves to 169.254.169.254, a private-network address (link-local / cloud metadata (169.254.0.0/16)); set HOUSECAT_ALLOW_PRIVATE_NETWORK=1 to allow it',
    );
  });

  it('returns error when cancelled', { timeout: 15_000 }, async () => {
    const controller = new AbortController();
    const events: RunEvent[] = [];
    // A browser of its own, closed below: the known point after which the cancelled run's leftover
    // work (the navigation it abandoned) can no longer report anything.
    const own = new BrowserPool({ env: {}, executablePath: requireChromium() });
    const pending = runChecks(
      {
        test: makeTest('slow', { url: `${apps.url}/slow?ms=3000`, expect: { status: 200 } }),
        runId: 'r',
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      },
      { pool: own, allowPrivateNetwork: true },
    );
    setTimeout(() => controller.abort(), 300);
    const result = await pending;
    expect(result.status).toBe('error');
    expect(result.reason).toBe('The run was cancelled.');
    // Whatever the closing page does afterwards, the run has exactly one final event (the recorder
    // drops late reports: tests/adapters/agent/recorder.test.ts).
    await own.close();
    expect(events.filter((e) => e.type !== 'step')).toEqual([
      { type: 'error', message: 'The run was cancelled.', at: expect.any(Number) },
    ]);
  });

  it('returns error naming the variable when the browser is missing', async () => {
    const broken = new BrowserPool({ env: { HOUSECAT_CHROMIUM: '/nonexistent/chromium' } });
    const result = await runChecks(
      { test: makeTest('x', { url: `${apps.url}/ok/login` }), runId: 'r' },
      { pool: broken, allowPrivateNetwork: true },
    );
    expect(result.status).toBe('error');
    expect(result.reason).toContain('HOUSECAT_CHROMIUM');
  });

  it('applies a base-URL override', async () => {
    const result = await runChecks(
      {
        test: makeTest('x', { url: 'https://shop.example.com/ok/login', expect: { text: ['Sign in'] } }),
        runId: 'r',
        baseUrl: apps.url,
      },
      { pool, allowPrivateNetwork: true },
    );
    expect(result.status, result.reason).toBe('passed');
    expect(result.evidence.finalUrl).toBe(`${apps.url}/ok/login`);
  });
});
