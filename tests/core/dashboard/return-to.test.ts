import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../../src/core/dashboard/return-to.js';

describe('safeReturnTo', () => {
  it('keeps a path on this app with its query', () => {
    expect(safeReturnTo('/r/acme/shop?x=1')).toBe('/r/acme/shop?x=1');
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
    ]) {
      expect(safeReturnTo(raw), String(raw)).toBe('/');
    }
  });
});
