/**
 * The limits in front of the dashboard's Run now, checked before GitHub is asked for the person's
 * permission and before a run slot is taken: one requested run per test at a time (a second click
 * while it runs is told "already running"), and a few runs a minute per person (then "try again
 * in N s"). Both live in Redis, so every replica applies the same limits.
 */
import { randomUUID } from 'node:crypto';
import type { RateWindow, SharedRateLimit } from '../../core/limits/ports.js';
import type { Store } from '../../core/ports.js';

/** Runs one person may start from the dashboard in any minute. */
export const RUN_NOW_PER_PERSON: RateWindow = { max: 5, ms: 60_000 };

export interface RunNowGateDeps {
  store: Pick<Store, 'claim' | 'release'>;
  rate: Pick<SharedRateLimit, 'takeSlot'>;
  perPerson?: RateWindow;
}

export type RunNowGate =
  | { ok: true; release(): Promise<void> }
  | { ok: false; reason: 'running' }
  | { ok: false; reason: 'rate'; retryAfterS: number };

/**
 * Admits one Run now of `testId` by `login`, holding the test for `holdMs` at most (the run's own
 * deadline; released when the run ends).
 */
export async function admitRunNow(
  deps: RunNowGateDeps,
  request: { login: string; testId: string; holdMs: number },
): Promise<RunNowGate> {
  const owner = randomUUID();
  const key = `runnow:${request.testId}`;
  if (!(await deps.store.claim(key, owner, request.holdMs))) return { ok: false, reason: 'running' };
  const waitMs = await deps.rate.takeSlot(`runnow:${request.login.toLowerCase()}`, randomUUID(), [
    deps.perPerson ?? RUN_NOW_PER_PERSON,
  ]);
  if (waitMs > 0) {
    await deps.store.release(key, owner);
    return { ok: false, reason: 'rate', retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
  return { ok: true, release: () => deps.store.release(key, owner) };
}
