import { describe, expect, it } from 'vitest';
import { isTestId, parseTestId, slugify, testId } from '../../src/core/ids.js';

describe('test ids', () => {
  it('slugifies names into URL-safe words', () => {
    expect(slugify('Login Flow')).toBe('login-flow');
    expect(slugify('  Café — Checkout (EU) ')).toBe('cafe-checkout-eu');
    expect(slugify('🐈')).toBe('');
  });

  it('derives a lowercase id from repo and slug', () => {
    expect(testId('Acme/Shop', 'login-flow')).toBe('acme--shop--login-flow');
  });

  it('keeps ids of different repos apart even when names contain double hyphens', () => {
    const a = testId('acme/shop--eu', 'login');
    const b = testId('acme/shop', 'eu--login'.replace('--', '-'));
    expect(a).not.toBe(b);
    expect(parseTestId(a)).toEqual({ owner: 'acme', repo: 'shop--eu', slug: 'login' });
  });

  it('rejects what is not an id', () => {
    expect(isTestId('acme--shop--login')).toBe(true);
    expect(isTestId('../etc/passwd')).toBe(false);
    expect(isTestId('acme--shop--')).toBe(false);
    expect(() => testId('not a repo', 'x')).toThrow(/owner\/name/);
  });
});
