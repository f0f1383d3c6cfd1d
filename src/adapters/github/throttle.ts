/**
 * A content-creation throttle: at most `max` creations (issues, comments) in any `windowMs`, shared by
 * everything in the process that creates content on GitHub. GitHub's secondary rate limit allows about
 * 80 content-creating requests a minute; when 100 tests fail at once, the issues queue here instead of
 * bouncing off a 403.
 */
export interface ContentThrottle {
  /**
   * Resolves when one more creation may be sent now (and counts it). Call the returned function when
   * the request has completed: the slot is then dated from the answer, since GitHub counts the
   * request when it arrives, which may be well after we sent it.
   */
  acquire(): Promise<() => void>;
  /** Stops all creations for `ms` (GitHub answered with a secondary rate limit). */
  pause(ms: number): void;
}

export interface ThrottleOptions {
  max?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Creates a sliding-window throttle (default 75 per 60 s: under GitHub's 80, with room for clock skew). */
export function createContentThrottle(options: ThrottleOptions = {}): ContentThrottle {
  const max = options.max ?? 75;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Slot times, oldest first; a slot is re-dated to its completion time by its done().
  const sent: { at: number }[] = [];
  let pausedUntil = 0;
  // Waiters go one at a time, in order, so a burst is spread evenly and nobody starves.
  let queue: Promise<void> = Promise.resolve();

  const take = async (): Promise<() => void> => {
    for (;;) {
      const t = now();
      sent.sort((a, b) => a.at - b.at);
      while (sent.length > 0 && sent[0]!.at <= t - windowMs) sent.shift();
      const wait = Math.max(pausedUntil - t, sent.length >= max ? sent[0]!.at + windowMs - t : 0);
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
  };
}
