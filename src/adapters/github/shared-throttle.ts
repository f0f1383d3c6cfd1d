/**
 * The content throttle of throttle.ts, shared by every replica through Redis (one sliding-window
 * script, see adapters/store/rate-limit.ts): N app processes together stay under 80 content writes
 * a minute and 500 an hour. Same interface, so the issue tracker does not know which one it has.
 */
import { randomUUID } from 'node:crypto';
import type { RateWindow, SharedRateLimit } from '../../core/limits/ports.js';
import { HOUR_MS as HOUR } from '../../core/time.js';
import type { ContentThrottle } from './throttle.js';

export interface SharedThrottleOptions {
  /** Creations per minute across all replicas (default 75, under GitHub's 80). */
  perMinute?: number;
  /** The length of the "minute" window (tests shorten it). Default 60,000. */
  minuteMs?: number;
  /** Creations per hour across all replicas (default 480, under GitHub's 500). */
  perHour?: number;
  /** Name of the limit in Redis (default `github-content`). */
  name?: string;
  sleep?: (ms: number) => Promise<void>;
}

export function createSharedContentThrottle(
  limit: SharedRateLimit,
  options: SharedThrottleOptions = {},
): ContentThrottle {
  const windows: RateWindow[] = [
    { max: options.perMinute ?? 75, ms: options.minuteMs ?? 60_000 },
    { max: options.perHour ?? 480, ms: HOUR },
  ];
  const name = options.name ?? 'github-content';
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async acquire() {
      const slot = randomUUID();
      for (;;) {
        const wait = await limit.takeSlot(name, slot, windows);
        if (wait <= 0) break;
        // A little jitter, so waiters on several replicas do not all retry in the same millisecond.
        await sleep(wait + Math.floor(Math.random() * 50));
      }
      return () => {
        limit.redateSlot(name, slot).catch(() => undefined);
      };
    },
    pause(ms) {
      limit.pauseSlots(name, ms).catch(() => undefined);
    },
    pausedFor() {
      return limit.pauseLeft(name);
    },
  };
}
