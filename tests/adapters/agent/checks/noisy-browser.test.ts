/**
 * Issue 22: a browser that calls home during the run. Chromium and Chrome send update checks,
 * network time and account requests of their own through the context's guard proxy. The proxy
 * must still refuse them, but they are not the page's doing: results must match a quiet browser's,
 * and no step, reason or failed step may name the browser's hosts. A page that itself asks for a
 * host it may not reach is still reported as before.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../../../src/adapters/agent/checks/index.js';
import { BrowserPool } from '../../../../src/adapters/browser/index.js';
import { blockedSteps, failedStep } from '../../../../src/core/report/index.js';
import type { RunResult, TestDefinition } from '../../../../src/core/types.js';
import { type FixtureApps, startFixtureApps } from '../../../support/fixture-apps.js';
import { BROWSER_HOSTS, NoisyBrowserPool } from '../../../support/noisy-browser.js';
import { type StaticServer, startStaticServer } from '../../../support/static-server.js';
import { requireChromium } from '../../../support/system.js';
import { makeTest } from '../../../support/test-definitions.js';

let apps: FixtureApps;
let site: StaticServer;
let quiet: BrowserPool;
let noisy: NoisyBrowserPool;
let hung: Server;
let hungUrl: string;
const hungSockets = new Set<Socket>();

beforeAll(async () => {
  const executablePath = requireChromium();
  apps = await startFixtureApps();
  quiet = new BrowserPool({ env: {}, executablePath });
  // The canary's address among the calls home: the guard must refuse it like any other.
  noisy = new NoisyBrowserPool({ env: {}, executablePath }, [apps.canary.host]);
  site = await startStaticServer({
    '/healthy': '<h1>All systems go</h1>',
    '/broken': { status: 500, body: '<h1>Internal Server Error</h1>' },
  });
  // Accepts the connection, reads the request, never writes a byte.
  hung = createServer((socket) => {
    hungSockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => hungSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const address = hung.address();
  hungUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});

afterAll(async () => {
  await quiet?.close();
  await noisy?.close();
  await apps?.close();
  await site?.close();
  for (const socket of hungSockets) socket.destroy();
  await new Promise<void>((resolve) => (hung ? hung.close(() => resolve()) : resolve()));
});

function run(pool: BrowserPool, url: string, overrides: Partial<TestDefinition> = {}) {
  return runChecks(
    { test: makeTest('noisy', { url, expect: { status: 200 }, ...overrides }), runId: 'run-1' },
    { pool, allowPrivateNetwork: true, textWaitMs: 1000 },
  );
}

/** Everything a reader of the result sees: steps, reason, failed step, blocked list. */
function visible(result: RunResult): string {
  return JSON.stringify([result.reason, result.steps, failedStep(result) ?? null, blockedSteps(result)]);
}

function expectNoBrowserHost(result: RunResult): void {
  for (const host of BROWSER_HOSTS)
    expect(visible(result), `${host} was blamed on the page`).not.toContain(host);
}

/** The verdict without its timings, to compare a noisy run with a quiet one. */
function verdict(result: RunResult) {
  return {
    status: result.status,
    reason: result.reason.replace(/\d+ ms/g, 'N ms'),
    steps: result.steps.map((s) => `${s.action} ${s.ok} ${s.target ?? ''}`).sort(),
  };
}

function mark() {
  return { answers: noisy.answers.length, bursts: noisy.bursts };
}

/**
 * The browser called home before the page started (that burst is awaited, so its answers are in)
 * and again once the page made its first request, and the guard refused every call it answered.
 */
function expectNoiseRefused(before: ReturnType<typeof mark>): void {
  expect(noisy.bursts - before.bursts).toBeGreaterThanOrEqual(2);
  const answers = noisy.answers.slice(before.answers);
  expect(answers.length).toBeGreaterThanOrEqual(BROWSER_HOSTS.length + 1);
  for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 403 /);
}

describe('checks with a browser that calls home during the run', () => {
  it('reports a hung site as failed within timeout + 5 s, as with a quiet browser', async () => {
    const before = mark();
    const started = Date.now();
    const result = await run(noisy, hungUrl, { timeout: 3 });
    const elapsed = Date.now() - started;
    expect(result.status, result.reason).toBe('failed');
    expect(result.reason).toBe(`no response from ${hungUrl} within 3 s`);
    expect(elapsed).toBeLessThan(3000 + 5000);
    expectNoBrowserHost(result);
    expectNoiseRefused(before);
    expect(verdict(result)).toEqual(verdict(await run(quiet, hungUrl, { timeout: 3 })));
  });

  it('reports a 500 as failed with its status, as with a quiet browser', async () => {
    const before = mark();
    const result = await run(noisy, `${site.url}/broken`);
    expect(result.status, result.reason).toBe('failed');
    expect(result.reason).toContain('expected status 200, got 500');
    expectNoBrowserHost(result);
    expectNoiseRefused(before);
    expect(verdict(result)).toEqual(verdict(await run(quiet, `${site.url}/broken`)));
  });

  it('passes a healthy site with no blocked step, as with a quiet browser', async () => {
    const before = mark();
    const result = await run(noisy, `${site.url}/healthy`, {
      expect: { status: 200, text: ['All systems go'] },
    });
    expect(result.status, result.reason).toBe('passed');
    expect(result.steps.filter((s) => s.action === 'blocked')).toEqual([]);
    expectNoBrowserHost(result);
    expectNoiseRefused(before);
    const calm = await run(quiet, `${site.url}/healthy`, {
      expect: { status: 200, text: ['All systems go'] },
    });
    expect(verdict(result)).toEqual(verdict(calm));
  });

  it("still reports the page's own requests to hosts it may not reach, and nothing else", async () => {
    const fetching = await run(noisy, `${apps.url}/hostile/fetch`, { expect: { text: ['fetch page done'] } });
    expect(fetching.status, fetching.reason).toBe('passed');
    const targets = fetching.steps.filter((s) => s.action === 'blocked').map((s) => s.target ?? '');
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const target of targets) expect(target).toContain(apps.canary.host);
    expectNoBrowserHost(fetching);

    // A redirect of the document to another host is still the page's doing: error, naming it.
    const redirected = await run(noisy, `${apps.url}/hostile/redirect`);
    expect(redirected.status).toBe('error');
    expect(redirected.reason).toContain(apps.canary.host);
    expectNoBrowserHost(redirected);
    expect(verdict(redirected)).toEqual(verdict(await run(quiet, `${apps.url}/hostile/redirect`)));

    // The calls home included the canary's address: refused, it never got a connection.
    expect(apps.canary.connections).toBe(0);
    expect(apps.canary.requests).toEqual([]);
  });
});
