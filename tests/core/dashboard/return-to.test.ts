import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../../src/core/dashboard/return-to.js';

describe('safeReturnTo', () => {
  it('keeps a path on this app with its query', () => {
    expect(safeReturnTo('/r/acme/shop?x=1')).toBe('/r/acme/shop?x=1');
  });

  it('returns the normalised path, so what is checked is what the browser follows', () => {
    expect(safeReturnTo('/r/acme/../acme/shop')).toBe('/r/acme/shop');
    expect(safeReturnTo('/./r/acme')).toBe('/r/acme');
  });

  it('falls back to / for anything a browser could read as another origin', () => {
    for (const raw of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\tevil',
      '\\\\evil.example',
      '',
      null,
      'r/acme',
      // Paths that become `//host` only once dot segments and `%2e` are normalised (issue 23).
      '/.//evil.example/x',
      '/r/../..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/a/..//evil.example',
    ]) {
      expect(safeReturnTo(raw), String(raw)).toBe('/');
    }
  });
});
