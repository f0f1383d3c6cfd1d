/**
 * The bound on scheduled runs in one app process (HOUSECAT_MAX_PARALLEL_RUNS). Each run holds a
 * browser context, so the bound is per process and lives in its memory: N replicas each run up to
 * their own bound, and QStash's flow control (issue 15) spreads deliveries over them.
 */

/** Seconds QStash is asked to wait before retrying a delivery refused because every slot was busy. */
export const BUSY_RETRY_AFTER_S = 30;

export interface RunSlots {
  /** Takes a slot, or answers `null` when all are in use; call the returned function exactly once to free it. */
  tryAcquire(): (() => void) | null;
  readonly limit: number;
  readonly inUse: number;
}

/** Slots for `limit` concurrent runs (`Infinity`: no bound). */
export function createRunSlots(limit: number): RunSlots {
  if (!(limit >= 1)) throw new RangeError(`the bound on parallel runs must be at least 1, not ${limit}`);
  let inUse = 0;
  return {
    limit,
    get inUse() {
      return inUse;
    },
    tryAcquire() {
      if (inUse >= limit) return null;
      inUse += 1;
      let freed = false;
      return () => {
        // A double release would let one more run in than the bound allows.
        if (freed) return;
        freed = true;
        inUse -= 1;
      };
    },
  };
}
