/**
 * Sign in with GitHub and sessions over real HTTP: the state and PKCE round trip, cookies, and each
 * way in that must be refused (forged or expired sessions, a state mismatch, a redirect off the
 * app, a POST without its CSRF token), each without writing anything.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';
import { approve, cookieOf, get, post, signIn, startSignIn } from './http-client.js';

const SESSION_TTL_MS = 3_600_000;

describe('dashboard sign-in', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboard({ dashboard: { sessionTtlMs: SESSION_TTL_MS } });
    await seedShop(h);
  });
  afterAll(async () => h?.close());

  it('signs a person in with state and PKCE, keeps the token in Redis only, and lands on return_to', async () => {
    const { stateCookie, authorize } = await startSignIn(h, '/r/acme/shop');
    const url = new URL(authorize);
    expect(url.pathname).toBe('/login/oauth/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    // The cookie carries the state sealed (with the PKCE verifier): neither is readable in it.
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(stateCookie).not.toContain(url.searchParams.get('state'));
    const callback = await get(await approve(h, authorize, PEOPLE.writer), stateCookie);
    expect(callback.status).toBe(303);
    expect(callback.location).toBe('/r/acme/shop');
    const session = callback.cookies.find((c) => c.startsWith('housecat_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/); // the public URL is http here; https adds Secure
    const exchange = h.gh.requests.find((r) => r.path === '/login/oauth/access_token');
    expect((exchange?.body as Record<string, string> | undefined)?.code_verifier).toMatch(/^[\w-]{43}$/);
    const [token] = h.gh.userTokens(PEOPLE.writer);
    const page = await get(`${h.url}/r/acme/shop`, cookieOf(callback.cookies, 'housecat_session'));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(token);
    expect(callback.cookies.join(';')).not.toContain(token);
    const [key] = await h.keys('session:*');
    const ttl = await h.pttl(key!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(SESSION_TTL_MS);
    // The record in Redis is sealed: neither the GitHub token nor the login is readable there.
    const stored = JSON.stringify(await h.snapshot());
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(PEOPLE.writer);
  });

  it('writes nothing to Redis for 3,000 anonymous sign-in starts', async () => {
    const before = await h.snapshot();
    for (let batch = 0; batch < 30; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => get(`${h.url}/auth/login?return_to=%2Fr%2Facme%2Fshop`)),
      );
      for (const a of answers) expect(a.status).toBe(303);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('opens nothing with a session record written straight into Redis', async () => {
    // Someone with only the Redis token writes a record in the old plain shape under the hash of a
    // cookie id they chose, and copies a real sealed record under another id.
    const { cookie: real } = await signIn(h, PEOPLE.writer);
    const [realKey] = await h.keys('session:*');
    const id = 'F'.repeat(43);
    const hash = createHash('sha256').update(id).digest('hex');
    const forged = JSON.stringify({
      login: PEOPLE.writer,
      userId: 1,
      token: h.gh.userTokens(PEOPLE.writer)[0],
      csrf: 'C'.repeat(43),
      createdAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    });
    await h.setRaw(`session:${hash}`, forged);
    const forgedCookie = `housecat_session=${id}`;
    expect((await get(`${h.url}/r/acme/shop`, forgedCookie)).status).toBe(303);
    expect(
      (await post(`${h.url}/r/acme/shop/checkout/run`, forgedCookie, { csrf: 'C'.repeat(43) })).status,
    ).toBe(404);
    // A real sealed record moved under another id is bound to its own key and opens nothing either.
    await h.setRaw(`session:${hash}`, (await h.getRaw(realKey!)) ?? '');
    expect((await get(`${h.url}/r/acme/shop`, forgedCookie)).status).toBe(303);
    expect(h.agent.calls).toHaveLength(0);
    expect((await get(`${h.url}/r/acme/shop`, real)).status).toBe(200);
  });

  it('answers 404 for an owner, repository or slug core/ids.ts refuses, without asking GitHub', async () => {
    const { cookie } = await signIn(h, PEOPLE.writer);
    expect((await get(`${h.url}/r/acme/shop`, cookie)).status).toBe(200);
    const asked = h.gh.requests.length;
    // A trailing or doubled hyphen in the owner, a dotted or 101-character slug, an uppercase slug.
    for (const path of [
      '/r/acme-/shop',
      '/r/ac--me/shop',
      '/r/acme/shop/a.b',
      `/r/acme/shop/${'a'.repeat(101)}`,
    ]) {
      expect((await get(`${h.url}${path}`, cookie)).status, path).toBe(404);
    }
    expect((await get(`${h.url}/r/acme/shop/Checkout`, cookie)).status).toBe(404);
    expect(h.gh.requests.slice(asked).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('sends every answer with a strict CSP, no framing, nosniff and a referrer policy', async () => {
    const { cookie } = await signIn(h, PEOPLE.writer);
    for (const path of ['/', '/r/acme/shop', '/r/acme/shop/checkout', '/r/acme/nope']) {
      const page = await get(`${h.url}${path}`, cookie);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(page.headers.get('referrer-policy'), path).toBe('same-origin');
    }
  });

  it('refuses a callback whose state differs from the browser cookie, and writes nothing', async () => {
    const mine = await startSignIn(h);
    const theirs = await startSignIn(h);
    const theirCallback = await approve(h, theirs.authorize, PEOPLE.outsider);
    const before = await h.snapshot();
    const answer = await get(theirCallback, mine.stateCookie);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('does not match');
    expect(cookieOf(answer.cookies, 'housecat_session')).toBeUndefined();
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a callback without the state cookie, and writes nothing', async () => {
    const { authorize } = await startSignIn(h);
    const callback = await approve(h, authorize, PEOPLE.writer);
    const before = await h.snapshot();
    const answer = await get(callback);
    expect(answer.status).toBe(400);
    expect(await h.snapshot()).toEqual(before);
  });

  it('never redirects off the app through return_to', async () => {
    for (const target of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      '/%2F%2Fevil.example',
      'javascript:alert(1)',
      '/.//evil.example/x',
      '/r/../..//evil.example',
      '/%2e//evil.example',
    ]) {
      const { location } = await signIn(h, PEOPLE.writer, target);
      expect(location, target).toMatch(/^\/(?!\/|\\)/);
      expect(new URL(location ?? '', h.url).origin, target).toBe(h.url);
    }
  });

  it('treats a forged session cookie as signed out and writes nothing', async () => {
    const forged = `housecat_session=${'A'.repeat(43)}`;
    const before = await h.snapshot();
    expect((await get(`${h.url}/r/acme/shop`, forged)).status).toBe(303);
    expect((await get(`${h.url}/r/acme/shop/checkout/events`, forged)).status).toBe(404);
    const run = await post(`${h.url}/r/acme/shop/checkout/run`, forged, { csrf: 'x' });
    expect(run.status).toBe(404);
    expect((await get(`${h.url}/`, forged)).text).toContain('Sign in with GitHub');
    expect(h.agent.calls).toHaveLength(0);
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a session past its expiry even while Redis still holds it', async () => {
    const { cookie, csrf } = await signIn(h, PEOPLE.writer);
    h.advance(SESSION_TTL_MS + 1000);
    try {
      const before = await h.snapshot();
      const page = await get(`${h.url}/r/acme/shop/checkout`, cookie);
      expect(page.status).toBe(303);
      expect(page.location).toBe('/auth/login?return_to=%2Fr%2Facme%2Fshop%2Fcheckout');
      expect((await post(`${h.url}/r/acme/shop/checkout/run`, cookie, { csrf })).status).toBe(404);
      expect(h.agent.calls).toHaveLength(0);
      expect(await h.snapshot()).toEqual(before);
    } finally {
      h.advance(-(SESSION_TTL_MS + 1000));
    }
  });

  it('refuses Run now without the CSRF token or with another one, and writes nothing', async () => {
    const { cookie } = await signIn(h, PEOPLE.writer);
    const before = await h.snapshot();
    expect((await post(`${h.url}/r/acme/shop/checkout/run`, cookie, {})).status).toBe(403);
    expect((await post(`${h.url}/r/acme/shop/checkout/run`, cookie, { csrf: 'B'.repeat(43) })).status).toBe(
      403,
    );
    expect(h.agent.calls).toHaveLength(0);
    expect(await h.snapshot()).toEqual(before);
  });

  it('deletes the session on sign-out, so the old cookie no longer works', async () => {
    const { cookie, csrf } = await signIn(h, PEOPLE.reader);
    expect((await post(`${h.url}/auth/logout`, cookie, {})).status).toBe(403);
    const out = await post(`${h.url}/auth/logout`, cookie, { csrf });
    expect(out.status).toBe(303);
    expect(cookieOf(out.cookies, 'housecat_session')).toBe('housecat_session=');
    expect((await get(`${h.url}/r/acme/shop`, cookie)).status).toBe(303);
  });
});
