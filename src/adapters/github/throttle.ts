/**
 * A content-creation throttle shared by everything in the process that creates content on GitHub
 * (issues, comments). GitHub's secondary rate limits allow about 80 content-creating requests a
 * minute and 500 an hour; when 100 tests fail at once, the issues queue here instead of bouncing off
 * a 403. The defaults stay a little under both (clocks never agree exactly).
 */
import { HOUR_MS as HOUR } from '../../core/time.js';

export interface ContentThrottle {
  /**
   * Resolves when one more creation may be sent now (and counts it). Call the returned function when
   * the request has completed: the slot is then dated from the answer, since GitHub counts the
   * request when it arrives, which may be well after we sent it.
   */
  acquire(): Promise<() => void>;
  /** Stops all creations, and every GitHub request (rate-limit-pause.ts), for `ms` (GitHub said so). */
  pause(ms: number): void;
  /** Milliseconds the pause still lasts (0: none). */
  pausedFor(): Promise<number>;
}

export interface ThrottleOptions {
  /** Creations per `windowMs` (default 75). */
  max?: number;
  windowMs?: number;
  /** Creations per hour (default 480); set with `max`/`windowMs` for tests. */
  maxPerHour?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Creates the sliding-window throttle (default 75 a minute and 480 an hour). */
export function createContentThrottle(options: ThrottleOptions = {}): ContentThrottle {
  const windows = [
    { max: options.max ?? 75, ms: options.windowMs ?? 60_000 },
    { max: options.maxPerHour ?? 480, ms: HOUR },
  ];
  const longest = Math.max(...windows.map((w) => w.ms));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Slot times; a slot is re-dated to its completion time by its done().
  const sent: { at: number }[] = [];
  let pausedUntil = 0;
  // Waiters go one at a time, in order, so a burst is spread evenly and nobody starves.
  let queue: Promise<void> = Promise.resolve();

  /** Milliseconds until one more creation fits in every window (0: now). */
  const waitFor = (t: number): number => {
    let wait = Math.max(0, pausedUntil - t);
    for (const w of windows) {
      const inWindow = sent.filter((s) => s.at > t - w.ms).sort((a, b) => a.at - b.at);
      if (inWindow.length >= w.max) {
        // The oldest slot that must leave the window before one more fits.
        const leaving = inWindow[inWindow.length - w.max]!;
        wait = Math.max(wait, leaving.at + w.ms - t);
      }
    }
    return wait;
  };

  const take = async (): Promise<() => void> => {
    for (;;) {
      const t = now();
      for (let i = sent.length - 1; i >= 0; i--) if (sent[i]!.at <= t - longest) sent.splice(i, 1);
      const wait = waitFor(t);
      if (wait <= 0) {
        const slot = { at: t };
        sent.push(slot);
        return () => {
          slot.at = Math.max(slot.at, now());
        };
      }
      await sleep(wait);
    }
  };

  return {
    acquire() {
      const turn = queue.then(take);
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    async pausedFor() {
      return Math.max(0, pausedUntil - now());
    },
  };
}
