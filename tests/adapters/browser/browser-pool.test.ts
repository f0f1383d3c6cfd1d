import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BrowserPool } from '../../../src/adapters/browser/browser-pool.js';
import type { BlockedRequest, RequestPolicy } from '../../../src/adapters/browser/types.js';
import { AgentError } from '../../../src/core/errors.js';
import { createHostPolicy } from '../../../src/core/net/host-policy.js';
import { type FixtureApps, startFixtureApps } from '../../support/fixture-apps.js';
import { requireChromium } from '../../support/system.js';

let apps: FixtureApps;
let pool: BrowserPool;

beforeAll(async () => {
  const chromium = requireChromium();
  apps = await startFixtureApps();
  pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: chromium } });
});

afterAll(async () => {
  await pool?.close();
  await apps?.close();
});

/**
 * Opens `path` of the fixture app in a guarded context, then waits until every canary path in
 * `attempts` (what the page tries to reach) was either blocked or reached the canary: each attempt
 * has then happened, so "the canary received nothing" is a finding, not a guess about timing.
 */
async function visit(
  path: string,
  attempts: string[] = [],
  act?: (page: import('playwright-core').Page) => Promise<void>,
) {
  const blocked: BlockedRequest[] = [];
  const before = apps.canary.connections;
  const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: true });
  const context = await pool.newContext({ policy, onBlocked: (b) => blocked.push(b) });
  const page = await context.newPage();
  const response = await page.goto(`${apps.url}${path}`).catch((error: Error) => error);
  await act?.(page);
  await vi.waitFor(
    () => {
      if (apps.canary.connections > before) return; // leaked: the caller's assertions say so
      const seen = blocked.map((b) => new URL(b.url).pathname);
      expect(seen).toEqual(expect.arrayContaining(attempts));
    },
    { timeout: 10_000 },
  );
  const finalUrl = page.url();
  await context.close();
  return { blocked, response, finalUrl };
}

describe('BrowserPool', () => {
  it('launches Chromium once and reuses it across contexts', async () => {
    const own = new BrowserPool({ env: { HOUSECAT_CHROMIUM: requireChromium() } });
    const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: true });
    for (let i = 0; i < 3; i += 1) {
      const context = await own.newContext({ policy });
      const page = await context.newPage();
      await page.goto(`${apps.url}/ok/login`);
      expect(await page.title()).toBe('Sign in — Demo App');
      await context.close();
    }
    expect(own.launches).toBe(1);
    await own.close();
  });

  it('throws an AgentError naming HOUSECAT_CHROMIUM and the install command when the browser is missing', async () => {
    const missing = new BrowserPool({ env: { HOUSECAT_CHROMIUM: '/nonexistent/chromium' } });
    const error = await missing.browser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as Error).message).toContain('HOUSECAT_CHROMIUM');
    expect((error as Error).message).toContain('/nonexistent/chromium');
    expect((error as Error).message).toContain('apt-get install -y chromium');
  });

  it('follows redirects that stay on the allowed host', async () => {
    const { blocked, finalUrl } = await visit('/ok/dashboard');
    expect(finalUrl).toBe(`${apps.url}/ok/login`);
    expect(blocked).toEqual([]);
  });

  it.each([
    ['/hostile/redirect', 'a redirect to another host', ['redirect'], ['/redirected']],
    ['/hostile/redirect-chain', 'a second redirect hop to another host', ['redirect'], ['/redirected']],
    ['/hostile/frame', 'an iframe from another host', ['request'], ['/framed']],
    [
      '/hostile/fetch',
      'images, scripts, fetch, beacons and WebSockets to another host',
      ['request', 'websocket'],
      ['/pixel.png', '/evil.js', '/exfil', '/beacon', '/ws'],
    ],
    ['/hostile/location', 'window.location set by a page script', ['request'], ['/moved']],
  ])('blocks %s (%s) and the canary receives nothing', async (path, _what, kinds, attempts) => {
    const before = apps.canary.connections;
    const { blocked } = await visit(path, attempts);
    expect(apps.canary.connections - before).toBe(0);
    expect(apps.canary.requests).toEqual([]);
    // Redirect hops are invisible to context.route: only the guard proxy can catch them.
    expect([...new Set(blocked.map((b) => b.kind))].sort()).toEqual([...kinds].sort());
    for (const b of blocked) {
      expect(b.url).toContain(apps.canary.host);
      expect(b.reason).toContain('not an allowed host');
    }
  });

  it('blocks a popup opened by the page', async () => {
    const before = apps.canary.connections;
    const { blocked } = await visit('/hostile/popup', ['/popup'], async (page) => {
      await page.getByRole('button', { name: 'Open offer' }).click();
    });
    expect(apps.canary.connections - before).toBe(0);
    expect(blocked.map((b) => b.url)).toContain(`${apps.canary.url}/popup`);
  });

  it('blocks a link the user clicks to another host', async () => {
    const before = apps.canary.connections;
    const { blocked, finalUrl } = await visit('/hostile/link', ['/link'], async (page) => {
      await page
        .getByRole('link', { name: 'our partner site' })
        .click()
        .catch(() => undefined);
    });
    expect(apps.canary.connections - before).toBe(0);
    expect(finalUrl).not.toContain(apps.canary.host);
    expect(blocked.map((b) => b.url)).toContain(`${apps.canary.url}/link`);
  });

  it('refuses loopback addresses when the private network is not allowed', async () => {
    const blocked: BlockedRequest[] = [];
    const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: false });
    const context = await pool.newContext({ policy, onBlocked: (b) => blocked.push(b) });
    const page = await context.newPage();
    const error = await page.goto(`${apps.url}/ok/login`).catch((e: Error) => e);
    await context.close();
    expect(error).toBeInstanceOf(Error);
    expect(blocked[0]?.reason).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK');
  });

  it('refuses a private address when the policy does not say allowPrivateNetwork (fails closed)', async () => {
    const blocked: BlockedRequest[] = [];
    // A host check that lets everything through, and no allowPrivateNetwork at all, as a policy
    // written in plain JavaScript (or one that lost the field in a spread) arrives at run time.
    const policy = { check: () => ({ allowed: true }) } as unknown as RequestPolicy;
    const context = await pool.newContext({ policy, onBlocked: (b) => blocked.push(b) });
    const page = await context.newPage();
    // 192.0.2.0/24 is reserved for documentation: a private address that leads nowhere. (Chromium
    // sends loopback past any proxy, so the fixture app at 127.0.0.1 cannot show the proxy's check.)
    const response = await page.goto('http://192.0.2.10/', { timeout: 5000 }).catch((e: Error) => e);
    await context.close();
    // Chromium may ask more than once (a retried navigation): every request is refused, none passes.
    expect(
      blocked.length,
      'the guard proxy let a private address through: the DNS half of the guard was off',
    ).toBeGreaterThan(0);
    for (const b of blocked) expect(b.reason).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK');
    // The proxy answers the refusal itself: nothing reached the address.
    expect(response instanceof Error ? response.message : response?.status()).toBe(403);
  });
});
