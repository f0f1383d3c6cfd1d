import { describe, expect, it } from 'vitest';
import {
  isTextVisible,
  missingTexts,
  normalizeText,
  visibleExcerpt,
} from '../../../src/core/run/visible-text.js';

describe('visible text', () => {
  it('collapses whitespace and ignores case when it normalizes', () => {
    expect(normalizeText('  Hello,\n\t  WORLD ')).toBe('hello, world');
  });

  it('finds a string in the rendered or the source text, whichever holds it', () => {
    // text-transform: uppercase changes the rendered text only.
    const page = { rendered: 'LOGIN\nForgot your password?', source: 'Login Forgot your password?' };
    expect(isTextVisible(page, 'Login')).toBe(true);
    expect(isTextVisible(page, 'login')).toBe(true);
    // Split across inline elements: only the rendered text joins "Wel" and "come".
    expect(isTextVisible({ rendered: 'Welcome', source: 'Wel come' }, 'Welcome')).toBe(true);
    // Whitespace is collapsed, never removed: "Log in" is not "Login".
    expect(isTextVisible(page, 'Log in')).toBe(false);
  });

  it('lists the missing strings in their order', () => {
    const page = { rendered: 'Sign in', source: 'Sign in' };
    expect(missingTexts(page, ['Welcome', 'Sign in', 'Logout'])).toEqual(['Welcome', 'Logout']);
  });

  it('gives a short excerpt of the rendered text, cut with an ellipsis', () => {
    expect(visibleExcerpt({ rendered: 'A\n\n  B', source: '' })).toBe('A B');
    expect(visibleExcerpt({ rendered: '', source: 'only source' })).toBe('only source');
    expect(visibleExcerpt({ rendered: 'x'.repeat(200), source: '' }, 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
