/**
 * One scheduled tick of `housecat up`, delivered to the same use case as a QStash callback
 * (handle-delivery.ts: claim, run, record, incident, outbox, rollups, lateness) — only the
 * signature check is left out, since nothing crossed a network. It behaves as QStash does with a
 * message: one message id per test and tick (so a tick is never run twice, even across a restart),
 * a fresh token per attempt, and a retry after an answer QStash would retry (busy, store down,
 * incident unsaved), with the first arrival kept so lateness counts from the first attempt.
 */
import { randomUUID } from 'node:crypto';
import type { TestDefinition } from '../core/types.js';
import { type DeliveryDeps, type DeliveryOutcome, handleDelivery } from './handle-delivery.js';

/** A bound on runs at once (the app's run slots): null when every slot is taken. */
export interface SlotGate {
  tryAcquire(): (() => void) | null;
}

export interface LocalDeliveryDeps extends DeliveryDeps {
  slots?: SlotGate;
  /** Waits `ms` (tests pass a quicker one); resolves early when `signal` aborts. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops retrying (the process is stopping). */
  signal?: AbortSignal;
}

/** QStash's retries of a schedule's message (core/sync/plan.ts SCHEDULE_RETRIES), and its pauses. */
export const LOCAL_RETRIES = 3;
const BACKOFF_MS = [10_000, 30_000, 60_000];
/** A full set of run slots is asked to come back after this, as the callback's 429 does. */
const SLOTS_BUSY_MS = 10_000;

/** The message id of `test`'s tick: the same tick is one message, whoever delivers it. */
export function localMessageId(testId: string, tick: number): string {
  return `up-${testId}-${tick}`;
}

function retryable(outcome: DeliveryOutcome): number | null {
  if (outcome.kind === 'busy') return Math.min(outcome.retryAfterMs, 60_000);
  if (outcome.kind === 'unavailable' || outcome.kind === 'incident-unsaved') return 0;
  return null;
}

const defaultWait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    // Aborted before the wait began: no abort event will come.
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Delivers `test`'s tick, retrying as QStash would; resolves with the last outcome. */
export async function deliverTick(
  deps: LocalDeliveryDeps,
  test: TestDefinition,
  tick: number,
): Promise<DeliveryOutcome> {
  const wait = deps.wait ?? defaultWait;
  const messageId = localMessageId(test.id, tick);
  const firstArrivedAt = deps.clock.now();
  let outcome: DeliveryOutcome = { kind: 'unavailable', reason: 'not delivered' };
  for (let attempt = 0; attempt <= LOCAL_RETRIES; attempt++) {
    if (deps.signal?.aborted) break;
    const release = deps.slots ? deps.slots.tryAcquire() : () => undefined;
    if (!release) {
      outcome = { kind: 'busy', reason: 'every run slot is busy', retryAfterMs: SLOTS_BUSY_MS };
    } else {
      try {
        outcome = await handleDelivery(deps, {
          rawId: test.id,
          jti: randomUUID(),
          messageId,
          retried: attempt > 0,
          arrivedAt: deps.clock.now(),
          firstArrivedAt,
        });
      } finally {
        release();
      }
    }
    const pause = retryable(outcome);
    if (pause === null || attempt === LOCAL_RETRIES || deps.signal?.aborted) break;
    await wait(Math.max(pause, BACKOFF_MS[attempt] ?? 60_000), deps.signal);
  }
  return outcome;
}
