import { describe, expect, it } from 'vitest';
import { outboxBackoffMs } from '../../../src/core/incidents/outbox.js';

describe('outboxBackoffMs', () => {
  it('pauses 2 s after the first failure, doubling, at most 5 minutes', () => {
    expect([1, 2, 3, 4].map((n) => outboxBackoffMs(n))).toEqual([2000, 4000, 8000, 16_000]);
    expect(outboxBackoffMs(20)).toBe(300_000);
  });

  it('starts from the first pause it is given and keeps doubling (tests shorten it)', () => {
    expect([1, 2, 3].map((n) => outboxBackoffMs(n, 200))).toEqual([200, 400, 800]);
    expect(outboxBackoffMs(30, 200)).toBe(300_000);
  });
});
