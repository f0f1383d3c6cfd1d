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
  /**
   * The same slots as seen by manual runs (Run now, `/housecat run`): schedules come first, so
   * manual runs together take at most `limit - 1` of them (1 when the limit is 1), and another
   * repository's scheduled run always finds a slot that no amount of clicking can take.
   */
  readonly manual: Pick<RunSlots, 'tryAcquire' | 'limit'>;
}

/** Slots for `limit` concurrent runs (`Infinity`: no bound). */
export function createRunSlots(limit: number): RunSlots {
  if (!(limit >= 1)) throw new RangeError(`the bound on parallel runs must be at least 1, not ${limit}`);
  let inUse = 0;
  let manualInUse = 0;
  const manualLimit = Math.max(1, limit - 1);
  const take = (manual: boolean) => {
    if (inUse >= limit || (manual && manualInUse >= manualLimit)) return null;
    inUse += 1;
    if (manual) manualInUse += 1;
    let freed = false;
    return () => {
      // A double release would let one more run in than the bound allows.
      if (freed) return;
      freed = true;
      inUse -= 1;
      if (manual) manualInUse -= 1;
    };
  };
  return {
    limit,
    get inUse() {
      return inUse;
    },
    tryAcquire: () => take(false),
    manual: { limit: manualLimit, tryAcquire: () => take(true) },
  };
}
