/**
 * One process's drainer of the GitHub outbox (outbox-pass.ts): `kick()` after each delivery and at
 * start-up, without piling up passes (a kick during a pass asks for one more pass, not a second one
 * at once). While work waits (a queue backing off, or held by a drainer that may have died), it
 * looks again when that work is next due, so a deferred issue is not left for the next delivery.
 * The timer only runs while there is work, and never keeps the process alive.
 */
import {
  type DrainDeps,
  type DrainReport,
  drainOutbox,
  drainTestOutbox,
  outboxLeaseMs,
} from './outbox-pass.js';

/**
 * How soon to look again at queues held by another drainer (a dead one's lease lapses within the
 * lease, OUTBOX_LEASE_MS): this, or the lease when that is shorter.
 */
const BUSY_RECHECK_MS = 5000;
/** The shortest pause between passes. */
const MIN_RECHECK_MS = 1000;

export interface OutboxDrainer {
  /** Drains one test's queue now (the request that queued the work). */
  drainTest(testId: string): Promise<DrainReport>;
  /** Starts a pass over every due queue in the background (errors are logged). */
  kick(): void;
  /** Runs a pass now and resolves with what it did (the start-up sweep logs it). */
  drainAll(): Promise<DrainReport & { tests: number }>;
  /** Stops the timer; passes in flight finish. */
  close(): void;
}

export function createOutboxDrainer(deps: DrainDeps): OutboxDrainer {
  let running: Promise<DrainReport & { tests: number }> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const busyRecheckMs = Math.min(BUSY_RECHECK_MS, outboxLeaseMs(deps));

  const recheck = async (report: DrainReport) => {
    if (closed) return;
    const due = await deps.store.outbox.nextDue();
    if (due === null) return;
    const onlyBusy = report.done === 0 && report.retrying === 0 && report.dropped === 0 && report.busy > 0;
    const delay = Math.max(due - deps.clock.now(), onlyBusy ? busyRecheckMs : MIN_RECHECK_MS);
    clearTimeout(timer);
    timer = setTimeout(() => drainer.kick(), delay);
    timer.unref();
  };

  const pass = async (): Promise<DrainReport & { tests: number }> => {
    let total: DrainReport & { tests: number };
    do {
      again = false;
      total = await drainOutbox(deps);
    } while (again && !closed);
    await recheck(total).catch((error: unknown) => {
      deps.logger.warn(`could not read the outbox's next due time: ${String(error)}`);
    });
    return total;
  };

  const drainer: OutboxDrainer = {
    async drainTest(testId) {
      const report = await drainTestOutbox(deps, testId);
      if (report.retrying > 0 || report.busy > 0 || report.waiting > 0) {
        await recheck(report).catch(() => undefined);
      }
      return report;
    },
    drainAll() {
      if (running) {
        again = true;
        return running;
      }
      running = pass().finally(() => {
        running = null;
      });
      return running;
    },
    kick() {
      if (closed) return;
      drainer.drainAll().catch((error: unknown) => {
        deps.logger.error(
          `draining the GitHub outbox failed (it is retried on the next delivery): ${String(error)}`,
        );
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
  return drainer;
}
