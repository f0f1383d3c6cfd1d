/**
 * The route table over real HTTP: every answer of the app, pages, JSON, badges, redirects and every
 * kind of 404 and 405, carries the same security headers; the catch-all 404 does not echo the
 * request; a route is taken only with its methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/web/headers.js';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './dashboard/harness.js';
import { signIn } from './dashboard/http-client.js';

describe('route table', () => {
  let h: DashboardHarness;
  let cookie = '';
  beforeAll(async () => {
    h = await startDashboard();
    await seedShop(h);
    cookie = (await signIn(h, PEOPLE.writer)).cookie;
  });
  afterAll(async () => h?.close());

  const send = (path: string, method = 'GET', withCookie = false) =>
    fetch(`${h.url}${path}`, {
      method,
      redirect: 'manual',
      headers: withCookie ? { cookie } : {},
      ...(method === 'POST' ? { body: '{}' } : {}),
    });

  it('puts the same security headers on every answer, the 404s and 405s included', async () => {
    const cases: [string, string, boolean, number][] = [
      ['/', 'GET', false, 200],
      ['/', 'GET', true, 200],
      ['/healthz', 'GET', false, 200],
      ['/assets/live.js', 'GET', false, 200],
      ['/r/acme/shop', 'GET', false, 303],
      ['/r/acme/shop/checkout', 'GET', true, 200],
      ['/r/acme/nope', 'GET', true, 404],
      ['/status/acme/shop', 'GET', false, 404],
      ['/status/acme', 'GET', false, 404],
      ['/badge/acme/shop/checkout/status.svg', 'GET', false, 200],
      ['/badge/acme/shop/checkout/status.json', 'GET', false, 200],
      ['/api/v1/status/acme/shop', 'GET', false, 404],
      ['/api/v1/openapi.json', 'GET', false, 200],
      ['/nothing/here', 'GET', false, 404],
      ['/api/v1/nothing', 'GET', false, 404],
      ['/api/callback/x', 'GET', false, 405],
      ['/api/callback/x', 'POST', false, 401],
      ['/api/watchdog', 'GET', false, 405],
      ['/api/github/webhooks', 'GET', false, 405],
      ['/status/acme/shop', 'POST', false, 405],
      ['/healthz', 'DELETE', false, 405],
    ];
    for (const [path, method, withCookie, status] of cases) {
      const res = await send(path, method, withCookie);
      await res.arrayBuffer();
      const label = `${method} ${path}`;
      expect(res.status, label).toBe(status);
      for (const name of [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
      ]) {
        expect(res.headers.get(name), `${label}: ${name}`).toBe(SECURITY_HEADERS[name]);
      }
    }
  });

  it('answers an unknown path 404 without echoing it', async () => {
    const res = await send('/%3Cscript%3Ealert(1)%3C/script%3E?x=%3Cimg%3E');
    const text = await res.text();
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(text).not.toMatch(/script|img|alert/i);
  });

  it('answers 405 with Allow for a route taken with another method', async () => {
    const res = await send('/api/callback/acme--shop--checkout', 'PUT');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
