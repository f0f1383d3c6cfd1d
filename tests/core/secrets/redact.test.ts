import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../../../src/core/secrets/redact.js';
import { ALL_ASCII, ENCODINGS, jsonUnicode } from '../../support/encodings.js';

describe('createRedactor', () => {
  const redact = createRedactor({ ALL: ALL_ASCII });

  for (const [name, encode] of Object.entries(ENCODINGS)) {
    it(`hides an all-printable-ASCII secret written with ${name}`, () => {
      const encoded = encode(ALL_ASCII);
      const text = `before ${encoded} after`;
      expect(redact(text)).toBe('before [secret ALL] after');
    });
  }

  it('hides a secret whose characters mix encodings, as a GET form URL does', () => {
    // Chromium's form encoder writes `!` as %21 and spaces as +, encodeURIComponent keeps `!`.
    const redactor = createRedactor({ PW: "p a!ss'(w)~rd" });
    expect(redactor('/search?q=p+a%21ss%27%28w%29%7Erd&x=1')).toBe('/search?q=[secret PW]&x=1');
    expect(redactor("p%20a!ss'(w)~rd")).toBe('[secret PW]');
  });

  it('hides a non-ASCII secret in UTF-8 percent-encoding and JSON surrogate pairs', () => {
    const redactor = createRedactor({ PW: 'pässwörd🐈' });
    expect(redactor(`u=${encodeURIComponent('pässwörd🐈')}`)).toBe('u=[secret PW]');
    expect(redactor(jsonUnicode('pässwörd🐈'))).toBe('[secret PW]');
  });

  it('hides the longer of two overlapping secrets whole', () => {
    const redactor = createRedactor({ SHORT: 'abc', LONG: 'xxabcxx' });
    expect(redactor('xxabcxx and abc')).toBe('[secret LONG] and [secret SHORT]');
  });

  it('leaves text without secrets, and empty secrets, alone', () => {
    expect(createRedactor({ EMPTY: '' })('nothing to hide')).toBe('nothing to hide');
    expect(redact('plain text with no secret in it')).toBe('plain text with no secret in it');
  });

  it('redacts every string inside a nested value', () => {
    const redactor = createRedactor({ PW: 'hunter2!' });
    const value = { a: ['x hunter2%21', { b: 'hunter2!' }], n: 3 };
    expect(redactDeep(value, redactor)).toEqual({ a: ['x [secret PW]', { b: '[secret PW]' }], n: 3 });
  });
});
