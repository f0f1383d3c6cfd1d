/**
 * A rate limit shared by every app replica: slots taken atomically in Redis, so N processes
 * together stay under one limit (GitHub's content-creation limits are per app installation, not
 * per process).
 */

/** One sliding window: at most `max` slots in any `ms` milliseconds. */
export interface RateWindow {
  max: number;
  ms: number;
}

export interface SharedRateLimit {
  /**
   * Takes one slot of `name` when every window has room (and no pause is on), atomically across
   * processes. Returns 0 when taken, else the milliseconds until one may fit. `slot` is a unique id
   * for the slot, used by `redate`.
   */
  takeSlot(name: string, slot: string, windows: readonly RateWindow[]): Promise<number>;
  /** Dates a taken slot to now (Redis's clock): GitHub counts a request when it arrives. */
  redateSlot(name: string, slot: string): Promise<void>;
  /** Stops every slot of `name` for `ms` (GitHub answered with a secondary rate limit). */
  pauseSlots(name: string, ms: number): Promise<void>;
  /** Milliseconds the pause of `name` still lasts (0: none), by Redis's clock. */
  pauseLeft(name: string): Promise<number>;
}
