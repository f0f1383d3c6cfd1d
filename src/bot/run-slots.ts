/**
 * The bound on scheduled runs in one app process (HOUSECAT_MAX_PARALLEL_RUNS). Each run holds a
 * browser context, so the bound is per process and lives in its memory: N replicas each run up to
 * their own bound, and QStash's flow control (issue 15) spreads deliveries over them.
 *
 * Past the bound a delivery is refused at once (429), and QStash holds it: the process never keeps a
 * backlog, which used to feed itself (issue 25: throughput fell from 200 to 89 runs a minute as runs
 * queued up). The refusal's Retry-After reflects the real queue: the deliveries refused and not yet
 * run, in the order they came, times the recent mean run time, over the slots. A fixed 30 s made
 * every refused delivery come back together, to be refused again.
 */

/** Bounds of a busy answer's Retry-After: QStash spends a retry on every 429, so never hammer it. */
export const MIN_RETRY_AFTER_MS = 1_000;
export const MAX_RETRY_AFTER_MS = 300_000;
/** The mean run time assumed before any run finished in this process. */
export const FIRST_RUN_ESTIMATE_MS = 10_000;
/** Runs the mean is taken over. */
const RECENT_RUNS = 20;
/** How long past its Retry-After a refused delivery still holds its place in the queue. */
const WAITER_GRACE_MS = 60_000;

export interface RunSlots {
  /**
   * Takes a slot, or answers `null` when all are in use; call the returned function exactly once to
   * free it. `waiter` (QStash's message id) keeps a refused delivery's place in the queue, and its
   * retry taking a slot removes it.
   */
  tryAcquire(waiter?: string): (() => void) | null;
  /**
   * How long a refused delivery should wait: its place in the queue (the end of it without a
   * `waiter`) times the recent mean run time over the slots, within 1 s and 5 minutes.
   */
  retryAfterMs(waiter?: string): number;
  /** Refused deliveries not yet run (expired places left out). */
  readonly queued: number;
  readonly limit: number;
  readonly inUse: number;
  /**
   * The same slots as seen by manual runs (Run now, `/housecat run`): schedules come first, so
   * manual runs together take at most `limit - 1` of them (1 when the limit is 1), and another
   * repository's scheduled run always finds a slot that no amount of clicking can take.
   */
  readonly manual: Pick<RunSlots, 'tryAcquire' | 'limit'>;
}

/** Slots for `limit` concurrent runs (`Infinity`: no bound), timed on `now`. */
export function createRunSlots(limit: number, now: () => number = Date.now): RunSlots {
  if (!(limit >= 1)) throw new RangeError(`the bound on parallel runs must be at least 1, not ${limit}`);
  let inUse = 0;
  let manualInUse = 0;
  const manualLimit = Math.max(1, limit - 1);
  const durations: number[] = [];
  /** Waiter → until when it keeps its place; a Map keeps the order they were first refused in. */
  const waiting = new Map<string, number>();

  const meanRunMs = () =>
    durations.length === 0 ? FIRST_RUN_ESTIMATE_MS : durations.reduce((a, b) => a + b, 0) / durations.length;
  const prune = () => {
    const t = now();
    for (const [waiter, until] of waiting) if (until < t) waiting.delete(waiter);
  };
  const retryAfterMs = (waiter?: string): number => {
    prune();
    const ahead = waiter === undefined ? -1 : [...waiting.keys()].indexOf(waiter);
    const place = ahead < 0 ? waiting.size + 1 : ahead + 1;
    const slots = Number.isFinite(limit) ? limit : 1;
    const ms = (place * meanRunMs()) / slots;
    return Math.round(Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms)));
  };

  const take = (manual: boolean, waiter?: string) => {
    if (inUse >= limit || (manual && manualInUse >= manualLimit)) {
      // A new waiter joins the end; one already waiting keeps its place (a Map keeps the first
      // insertion's order), with a fresh deadline.
      if (waiter !== undefined && !manual)
        waiting.set(waiter, now() + retryAfterMs(waiter) + WAITER_GRACE_MS);
      return null;
    }
    if (waiter !== undefined) waiting.delete(waiter);
    inUse += 1;
    if (manual) manualInUse += 1;
    const started = now();
    let freed = false;
    return () => {
      // A double release would let one more run in than the bound allows.
      if (freed) return;
      freed = true;
      inUse -= 1;
      if (manual) manualInUse -= 1;
      durations.push(now() - started);
      if (durations.length > RECENT_RUNS) durations.shift();
    };
  };
  return {
    limit,
    get inUse() {
      return inUse;
    },
    get queued() {
      prune();
      return waiting.size;
    },
    tryAcquire: (waiter) => take(false, waiter),
    retryAfterMs,
    manual: { limit: manualLimit, tryAcquire: () => take(true) },
  };
}
