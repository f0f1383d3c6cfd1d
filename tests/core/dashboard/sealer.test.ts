import { describe, expect, it } from 'vitest';
import { createSealer } from '../../../src/core/dashboard/sealer.js';

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);

describe('createSealer', () => {
  it('opens what it sealed, and the sealed text does not contain the plaintext', () => {
    const sealer = createSealer([NEW]);
    const sealed = sealer.seal('session', '{"token":"ghu_secret"}', 'abc');
    expect(sealed).not.toContain('ghu_secret');
    expect(sealer.open('session', sealed, 'abc')).toBe('{"token":"ghu_secret"}');
  });

  it('refuses a value sealed for another purpose or context, tampered with, or written by hand', () => {
    const sealer = createSealer([NEW]);
    const sealed = sealer.seal('session', 'x', 'abc');
    expect(sealer.open('access', sealed, 'abc')).toBeNull();
    expect(sealer.open('session', sealed, 'abd')).toBeNull();
    // One character in the middle: each one there carries 6 bits of the value. (Near the end a
    // base64url character may carry only padding bits, and then flipping it changes nothing.)
    const at = Math.floor(sealed.length / 2);
    const flipped = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
    expect(sealer.open('session', flipped, 'abc')).toBeNull();
    expect(sealer.open('session', '{"login":"mallory","token":"x","csrf":"y"}', 'abc')).toBeNull();
    expect(createSealer([OLD]).open('session', sealed, 'abc')).toBeNull();
  });

  it('rotates: the new secret seals, the old one still opens until it is dropped', () => {
    const before = createSealer([OLD]).seal('session', 'kept', 'c');
    const during = createSealer([NEW, OLD]);
    expect(during.open('session', before, 'c')).toBe('kept');
    const fresh = during.seal('session', 'new', 'c');
    expect(createSealer([NEW]).open('session', fresh, 'c')).toBe('new');
    expect(createSealer([NEW]).open('session', before, 'c')).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => createSealer(['short'])).toThrow(/32 characters/);
    expect(() => createSealer([])).toThrow(/at least one/);
  });
});
