/**
 * Saving what a webhook asks for (incident-issue-events.ts), before answering GitHub. GitHub waits 10 s for
 * the answer and never sends a failed delivery again by itself, so the save is retried over a Redis
 * blip for a few seconds, within that budget, and the work itself is left to the outbox drainer.
 */
import { randomUUID } from 'node:crypto';
import type { RequestItem } from '../core/incidents/outbox.js';
import { markerTestId } from '../core/incidents/render.js';
import { DELIVERY_TTL_MS, deliveryKey, type IssueLike, type RequestDeps } from './incident-issue-events.js';

/** Pauses between attempts to save over a Redis blip. */
const SAVE_RETRY_MS = [250, 1000, 2500];
/** Saving stops retrying past this, so GitHub still gets an answer within its 10 s. */
const SAVE_BUDGET_MS = 7000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What a webhook asks for: `kind` on `issue` of `repo`, by `sender`, in delivery `delivery`. */
export interface WebhookRequest {
  kind: RequestItem['kind'];
  delivery: string;
  repo: string;
  issue: IssueLike;
  sender: string;
}

/**
 * Saves what a webhook asks for in the test's outbox queue, once per delivery, and starts draining
 * that queue in the background. Returns `queued`, `seen` (this delivery was saved before) or
 * `ignored` (not an incident issue). Throws only when Redis refused for all attempts: the delivery
 * is then not claimed, so GitHub's "Redeliver" button can send it again.
 */
export async function acceptRequest(
  deps: RequestDeps,
  request: WebhookRequest,
): Promise<'queued' | 'seen' | 'ignored'> {
  if (request.issue.pull_request) return 'ignored';
  // The marker only names a candidate; the repository check is made when the request is carried out.
  const testId = markerTestId(request.issue.body);
  if (!testId) return 'ignored';
  const item: RequestItem = {
    id: randomUUID(),
    kind: request.kind,
    testId,
    repo: request.repo,
    since: 0,
    createdAt: deps.clock.now(),
    attempts: 0,
    issueNumber: request.issue.number,
    sender: request.sender,
    delivery: request.delivery,
  };
  // Real time, not the app's clock: this budget is GitHub's, on the wall.
  const giveUpAt = performance.now() + SAVE_BUDGET_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      if (!(await saveOnce(deps, item))) return 'seen';
      break;
    } catch (error) {
      const pause = SAVE_RETRY_MS[attempt];
      if (pause === undefined || performance.now() + pause > giveUpAt) {
        deps.logger.error(
          `could not save ${request.kind} of ${testId} (delivery ${request.delivery}): ${String(error)}. ` +
            "GitHub does not redeliver by itself: once Redis is back, redeliver it from the app's advanced settings (Recent Deliveries).",
        );
        throw error;
      }
      await sleep(pause);
    }
  }
  deps.outbox?.drainTest(testId).catch((error: unknown) => {
    deps.logger.warn(`draining the outbox of ${testId} failed (it is retried): ${String(error)}`);
  });
  return 'queued';
}

/** Claims the delivery, then saves the item; false when the delivery was claimed before. */
async function saveOnce(deps: RequestDeps, item: RequestItem): Promise<boolean> {
  const owner = randomUUID();
  const key = deliveryKey(item.delivery);
  if (!(await deps.store.claim(key, owner, DELIVERY_TTL_MS))) return false;
  try {
    await deps.store.outbox.commit({ work: [item] });
    return true;
  } catch (error) {
    await deps.store.release(key, owner).catch(() => undefined);
    throw error;
  }
}
