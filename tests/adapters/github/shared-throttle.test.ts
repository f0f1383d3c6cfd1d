/**
 * The shared content throttle against a real redis-server: three throttles on three connections
 * (three replicas) together never grant more slots in a window than the limit; three in-process
 * throttles (the old default) would each grant the limit.
 */
import { describe, expect, it } from 'vitest';
import { createSharedContentThrottle } from '../../../src/adapters/github/shared-throttle.js';
import { createContentThrottle } from '../../../src/adapters/github/throttle.js';
import { createStore } from '../../../src/adapters/store/index.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';

const LIMIT = 4;
const WINDOW_MS = 1500;

/** Most grants in any WINDOW_MS. */
function busiest(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((t, i) => sorted.slice(i).filter((u) => u < t + WINDOW_MS).length));
}

describe('the shared content throttle', () => {
  it('keeps three replicas together under one limit', async () => {
    const prefix = uniquePrefix('throttle');
    const stores = [0, 1, 2].map(() => createStore({ REDIS_URL: testRedisUrl() }, { prefix })!);
    try {
      const throttles = stores.map((s) =>
        createSharedContentThrottle(s, { perMinute: LIMIT, minuteMs: WINDOW_MS }),
      );
      const granted: number[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const done = await throttles[i % 3]!.acquire();
          granted.push(Date.now());
          done();
        }),
      );
      expect(granted).toHaveLength(12);
      expect(busiest(granted)).toBeLessThanOrEqual(LIMIT);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('shows why: three in-process throttles grant the limit each', async () => {
    const throttles = [0, 1, 2].map(() => createContentThrottle({ max: LIMIT, windowMs: WINDOW_MS }));
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        (await throttles[i % 3]!.acquire())();
        granted.push(Date.now());
      }),
    );
    expect(busiest(granted)).toBe(3 * LIMIT);
  });

  it('holds every replica back while one of them was told to pause', async () => {
    const prefix = uniquePrefix('throttle');
    const [a, b] = [0, 1].map(() => createStore({ REDIS_URL: testRedisUrl() }, { prefix })!);
    try {
      createSharedContentThrottle(a!, { perMinute: LIMIT }).pause(800);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      (await createSharedContentThrottle(b!, { perMinute: LIMIT }).acquire())();
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await a?.close();
      await b?.close();
    }
  });
});
