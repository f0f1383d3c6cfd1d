/**
 * A lease: a claim with a short TTL that its holder renews while its work lasts. A holder that dies
 * (process killed) or loses Redis stops renewing, so the claim expires within one lease, not after
 * the longest the work could have taken. Both a delivery's state and the test's run lock are leases
 * (their names are the store's: ClaimNames in core/ports.ts).
 */
import type { Logger, Store } from '../core/ports.js';
import type { TestDefinition } from '../core/types.js';

/** The longest lease: a lost holder frees a test within this, whatever the test's timeout. */
export const MAX_LEASE_MS = 30_000;
/** The shortest lease: below it, one slow Redis round trip could let a live lease lapse. */
export const MIN_LEASE_MS = 1_000;
/** Renewals per lease period: two may fail (a Redis blip) before the lease lapses. */
const RENEWALS_PER_LEASE = 3;

/**
 * The lease of a run of `test`: its timeout (one attempt), within [MIN_LEASE_MS, MAX_LEASE_MS]. So a
 * crash or an unreleasable lock never blocks the test for longer than its own timeout (30 s at most).
 */
export function leaseMsFor(test: Pick<TestDefinition, 'timeout'>): number {
  return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, test.timeout * 1000));
}

export interface Lease {
  /** Stops renewing and releases the claim (a failed release is logged: the claim expires by itself). */
  release(): Promise<void>;
  /** Stops renewing without releasing (the claim was settled to a final value). */
  stop(): void;
}

/**
 * Claims `key` for `owner` with a TTL of `leaseMs` and renews it every third of that until released.
 * Returns null when someone else holds it. Throws when the store fails (nothing is held then).
 */
export async function acquireLease(
  deps: { store: Store; logger: Logger },
  key: string,
  owner: string,
  leaseMs: number,
): Promise<Lease | null> {
  if (!(await deps.store.claim(key, owner, leaseMs))) return null;
  const renewing = keepRenewing(deps, key, leaseMs, () => deps.store.renew(key, owner, leaseMs));
  return {
    stop: renewing.stop,
    async release() {
      renewing.stop();
      await deps.store.release(key, owner).catch((error: unknown) => {
        deps.logger.warn(`could not release ${key} (it expires within ${leaseMs} ms): ${String(error)}`);
      });
    },
  };
}

/**
 * Calls `renew` every third of `leaseMs` until stopped; the first renewal comes a third of a lease
 * after the claim, so a run shorter than that renews nothing (issue 25: no command it does not need).
 * `renew` answers false when the lease is no longer held: that is warned about once, as is a failure.
 */
export function keepRenewing(
  deps: { logger: Logger },
  what: string,
  leaseMs: number,
  renew: () => Promise<boolean>,
): { stop(): void } {
  let warned = false;
  // What is known when a renewal finds the claim gone: it was held at the last renewal, and by now
  // it expired or another owner took it. Saying "a Redis outage" guessed at a cause.
  let heldAt = Date.now();
  const timer = setInterval(
    () => {
      renew().then(
        (held) => {
          if (held) heldAt = Date.now();
          else if (!warned) {
            warned = true;
            deps.logger.warn(
              `lost the lease ${what} while still working: it expired or another worker took it since it was last held at ${new Date(heldAt).toISOString()} (lease ${leaseMs} ms); this work may now run twice`,
            );
          }
        },
        (error: unknown) => {
          if (warned) return;
          warned = true;
          deps.logger.warn(
            `could not renew the lease ${what} (it expires within ${leaseMs} ms): ${String(error)}`,
          );
        },
      );
    },
    Math.max(100, Math.floor(leaseMs / RENEWALS_PER_LEASE)),
  );
  // A pending renewal never keeps the process alive on shutdown.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
