/**
 * When a QStash message first reached this app, kept in Redis beside the message's delivery state
 * (the store's arrival claim, the same TTL): a retry of the message, on any replica, then
 * belongs to the tick of its first attempt. QStash itself sends no "scheduled for" time.
 */
import type { Logger, Store } from '../core/ports.js';

/** As long as a message's delivery state is kept (handle-delivery.ts MESSAGE_TTL_MS). */
const ARRIVAL_TTL_MS = 86_400_000;

/**
 * Records `now` as the message's first arrival unless an earlier attempt did; returns the first
 * arrival. A store failure is logged and `now` returned: lateness is a measurement, it must never
 * cost the delivery itself.
 */
export async function firstArrival(
  deps: { store: Store; logger: Logger },
  messageId: string | undefined,
  now: number,
): Promise<number> {
  if (messageId === undefined) return now;
  const key = deps.store.claimNames.arrival(messageId, '');
  try {
    if (await deps.store.claim(key, String(now), ARRIVAL_TTL_MS)) return now;
    const first = Number(await deps.store.readClaim(key));
    return Number.isFinite(first) && first > 0 ? Math.min(first, now) : now;
  } catch (error) {
    deps.logger.warn(
      `could not read or record the first arrival of QStash message ${messageId} (${(error as Error).message}): its lateness is counted from this attempt`,
    );
    return now;
  }
}
