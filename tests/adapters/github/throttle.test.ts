import { describe, expect, it } from 'vitest';
import { createContentThrottle } from '../../../src/adapters/github/throttle.js';

function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('content throttle', () => {
  it('lets at most max creations through in any window', async () => {
    const time = fakeTime();
    const throttle = createContentThrottle({ max: 80, windowMs: 60_000, ...time });
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        const done = await throttle.acquire();
        times.push(time.now());
        done();
      }),
    );
    expect(times).toHaveLength(200);
    for (const at of times)
      expect(times.filter((x) => x >= at && x < at + 60_000).length).toBeLessThanOrEqual(80);
    expect(Math.max(...times)).toBe(120_000);
  });

  it('keeps under the hourly limit too', async () => {
    const time = fakeTime();
    const throttle = createContentThrottle({ max: 80, windowMs: 60_000, maxPerHour: 500, ...time });
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      (await throttle.acquire())();
      times.push(time.now());
    }
    for (const at of times) {
      expect(times.filter((x) => x >= at && x < at + 3_600_000).length).toBeLessThanOrEqual(500);
      expect(times.filter((x) => x >= at && x < at + 60_000).length).toBeLessThanOrEqual(80);
    }
    expect(times.at(-1)).toBe(3_600_000 + 60_000 * 6);
  });

  it('holds everything back while paused after a secondary rate limit', async () => {
    const time = fakeTime();
    const throttle = createContentThrottle({ max: 80, windowMs: 60_000, ...time });
    throttle.pause(30_000);
    await throttle.acquire();
    expect(time.now()).toBe(30_000);
  });
});
