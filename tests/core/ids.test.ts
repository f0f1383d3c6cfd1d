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
    // Repo `shop--eu` with slug `login` is `acme--shop--eu--login`. The only other way to write that
    // id, repo `shop` with slug `eu--login`, must be impossible: a slug never holds `--`, and a name
    // with `--` slugifies to a single hyphen.
    expect(testId('acme/shop--eu', 'login')).toBe('acme--shop--eu--login');
    expect(() => testId('acme/shop', 'eu--login')).toThrow(/not a slug/);
    expect(slugify('EU -- Login')).toBe('eu-login');
    // Repos full of hyphens, next to slugs that would collide if a `--` could move between them:
    // every id is distinct and reads back as the repo and slug it was made from.
    const pairs: [string, string][] = [
      ['acme/shop--eu', 'login'],
      ['acme/shop', 'eu-login'],
      ['acme/shop-', 'eu-login'],
      ['acme/shop---eu', 'login'],
      ['acme/-shop', 'login'],
      ['acme/shop--eu--', 'login'],
      ['acme/shop--eu-login', 'x'],
    ];
    const ids = pairs.map(([repo, slug]) => testId(repo, slug));
    expect(new Set(ids).size).toBe(pairs.length);
    for (const [i, id] of ids.entries()) {
      const [repo, slug] = pairs[i]!;
      const [owner, name] = repo.split('/');
      expect(parseTestId(id), id).toEqual({ owner, repo: name, slug });
    }
  });

  it('rejects what is not an id', () => {
    expect(isTestId('acme--shop--login')).toBe(true);
    expect(isTestId('../etc/passwd')).toBe(false);
    expect(isTestId('acme--shop--')).toBe(false);
    expect(() => testId('not a repo', 'x')).toThrow(/owner\/name/);
  });
});
