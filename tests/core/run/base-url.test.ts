import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { applyBaseUrl, parseBaseUrl, rebaseUrl, testAtBaseUrl } from '../../../src/core/run/base-url.js';
import { parseOnly, selectTests } from '../../../src/core/run/select.js';
import { makeTest } from '../../support/test-definitions.js';

describe('base-URL override', () => {
  it('replaces scheme, host and port and keeps path and query', () => {
    const base = parseBaseUrl('http://127.0.0.1:4321');
    expect(rebaseUrl('https://shop.example.com/login?next=%2Fdash#top', base)).toBe(
      'http://127.0.0.1:4321/login?next=%2Fdash#top',
    );
  });

  it('drops the old port when the base URL uses the default port', () => {
    expect(rebaseUrl('http://localhost:3000/a?b=1', parseBaseUrl('https://pr-7.preview.dev'))).toBe(
      'https://pr-7.preview.dev/a?b=1',
    );
  });

  it('moves an allowed host equal to the old host and keeps the others', () => {
    const test = makeTest('login', { allowedHosts: ['shop.example.com', 'auth.example.com'] });
    const moved = applyBaseUrl(test, parseBaseUrl('https://pr-7.preview.dev'));
    expect(moved.url).toBe('https://pr-7.preview.dev/login?ref=ci');
    expect(moved.allowedHosts).toEqual(['pr-7.preview.dev', 'auth.example.com']);
    expect(test.url).toBe('https://shop.example.com/login?ref=ci');
  });

  it('refuses a base URL with a path, a bad scheme or no URL at all, naming the flag', () => {
    expect(() => parseBaseUrl('https://x.dev/app')).toThrow(/--base-url.*only scheme, host and port/);
    expect(() => parseBaseUrl('ftp://x.dev')).toThrow(ConfigError);
    expect(() => parseBaseUrl('not a url', 'input base-url')).toThrow(
      /input base-url: "not a url" is not a URL/,
    );
  });
});

describe('--only', () => {
  const tests = [makeTest('login'), makeTest('checkout'), makeTest('search')];

  it('selects by slug or full id, in file order', () => {
    const chosen = selectTests(tests, parseOnly(' search, acme--shop--login '));
    expect(chosen.map((t) => t.slug)).toEqual(['login', 'search']);
  });

  it('selects everything when empty', () => {
    expect(selectTests(tests, parseOnly(''))).toHaveLength(3);
  });

  it('lists the valid ids when an id is unknown', () => {
    expect(() => selectTests(tests, ['logn'])).toThrow(
      'unknown test id logn. Valid ids: login, checkout, search',
    );
  });
});

describe('testAtBaseUrl', () => {
  it('rebases a test on the origin an agent is given, and leaves it alone without one', () => {
    const test = makeTest('t', { url: 'https://shop.example.com/login?x=1' });
    expect(testAtBaseUrl(test, undefined)).toBe(test);
    expect(testAtBaseUrl(test, 'http://127.0.0.1:4000').url).toBe('http://127.0.0.1:4000/login?x=1');
  });
});
