/**
 * The matching of the guard proxy's refusals with the page's requests, on plain data: both orders
 * of arrival, the browser's own calls home (never claimed), and a claim that ended. The same code
 * runs against real Chromium in tests/adapters/agent/checks/noisy-browser.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createPageAttribution, proxyTarget } from '../../../src/adapters/browser/page-attribution.js';
import type { BlockedRequest } from '../../../src/adapters/browser/types.js';
import { createHostPolicy } from '../../../src/core/net/host-policy.js';

const policy = createHostPolicy({
  url: 'https://shop.example.com/',
  allowedHosts: [],
  allowPrivateNetwork: false,
});
const refused = (url: string, kind: BlockedRequest['kind'] = 'connect'): BlockedRequest => ({
  url,
  reason: 'not an allowed host',
  kind,
});
const hop = { resourceType: 'document', navigation: true, redirect: true };

function attribution() {
  const reported: BlockedRequest[] = [];
  return { reported, a: createPageAttribution(policy, (b) => reported.push(b)) };
}

describe('proxyTarget', () => {
  it('names what the proxy sees: host:port for a tunnel, the URL for plain HTTP', () => {
    expect(proxyTarget('https://Accounts.Google.com/x?y=1')).toBe('accounts.google.com:443');
    expect(proxyTarget('wss://chat.example.com:8443/ws')).toBe('chat.example.com:8443');
    expect(proxyTarget('ws://chat.example.com/ws')).toBe('chat.example.com:80');
    expect(proxyTarget('https://[::1]/')).toBe('[::1]:443');
    expect(proxyTarget('http://clients2.google.com/time/1/current?a=b#frag')).toBe(
      'http://clients2.google.com/time/1/current?a=b',
    );
    expect(proxyTarget('data:text/plain,hi')).toBeUndefined();
    expect(proxyTarget('not a url')).toBeUndefined();
  });
});

describe('page attribution', () => {
  it('never reports a refusal no page request claims (the browser calling home)', () => {
    const { reported, a } = attribution();
    for (let i = 0; i < 200; i += 1) {
      a.proxyBlocked(refused('update.googleapis.com:443'));
      a.proxyBlocked(refused('http://clients2.google.com/time/1/current', 'request'));
    }
    a.pageRequest({}, 'https://shop.example.com/app.js', { navigation: false, redirect: false });
    expect(reported).toEqual([]);
  });

  it("reports a refusal when the page's redirect hop comes first, with the hop's details", () => {
    const { reported, a } = attribution();
    a.pageRequest({}, 'https://evil.example.com/x', hop);
    a.proxyBlocked(refused('evil.example.com:443'));
    expect(reported).toEqual([
      { ...refused('evil.example.com:443'), resourceType: 'document', navigation: true },
    ]);
  });

  it('reports a refusal that arrived before the request event claiming it', () => {
    const { reported, a } = attribution();
    a.proxyBlocked(refused('http://evil.example.com/x', 'request'));
    expect(reported).toEqual([]);
    a.pageRequest({}, 'http://evil.example.com/x', hop);
    expect(reported).toEqual([
      {
        url: 'http://evil.example.com/x',
        reason: 'not an allowed host',
        kind: 'redirect',
        resourceType: 'document',
        navigation: true,
      },
    ]);
  });

  it('reports a refused subresource of an allowed host (a private answer) as a request, not a redirect', () => {
    const { reported, a } = attribution();
    a.pageRequest({}, 'http://shop.example.com/img.png', {
      resourceType: 'image',
      navigation: false,
      redirect: false,
    });
    a.proxyBlocked(refused('http://shop.example.com/img.png', 'request'));
    expect(reported.map((b) => [b.kind, b.resourceType, b.navigation])).toEqual([
      ['request', 'image', undefined],
    ]);
  });

  it('matches one refusal per request, and none after the request ended', () => {
    const { reported, a } = attribution();
    const request = {};
    a.pageRequest(request, 'https://evil.example.com/x', hop);
    a.proxyBlocked(refused('evil.example.com:443'));
    a.proxyBlocked(refused('evil.example.com:443'));
    expect(reported).toHaveLength(1);
    const later = {};
    a.pageRequest(later, 'https://cdn.example.com/x', hop);
    a.requestDone(later, 'https://cdn.example.com/x');
    a.proxyBlocked(refused('cdn.example.com:443'));
    expect(reported).toHaveLength(1);
  });
});
