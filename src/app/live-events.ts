/**
 * Writes a run's events to `events:{id}` while the run goes, so the dashboard's live view shows each
 * step as it happens. Appends are sent one request at a time, in order; events that arrive while a
 * request is in flight go together in the next one. A failing append does not stop the run: what
 * was not written is handed back at the end and goes in with the result (`recordRun`), so the
 * stream loses nothing when Redis hiccups.
 */
import type { Logger, Store } from '../core/ports.js';
import type { RunEvent } from '../core/types.js';

export interface LiveEvents {
  push(runId: string, event: RunEvent): void;
  /** Waits for appends in flight; returns the events that could not be written. */
  finish(): Promise<RunEvent[]>;
}

/**
 * `delayMs` > 0 holds events back that long before the first write of a batch: a run shorter than
 * that writes nothing live (its events go in with the result, in the same round trip), a longer one
 * about one batch per `delayMs`. Scheduled runs use it (issue 25: a run costs a handful of Redis
 * commands); a run someone asked for now is streamed as it goes.
 */
export function liveEvents(
  deps: { store: Store; logger: Logger },
  testId: string,
  options: { delayMs?: number } = {},
): LiveEvents {
  let queue: { runId: string; event: RunEvent }[] = [];
  const unwritten: RunEvent[] = [];
  let flushing: Promise<void> | null = null;
  let warned = false;
  let timer: NodeJS.Timeout | undefined;
  const delayMs = options.delayMs ?? 0;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const runId = queue[0]?.runId ?? '';
      // One request per run id: a batch never mixes attempts.
      const cut = queue.findIndex((q) => q.runId !== runId);
      const batch = cut < 0 ? queue : queue.slice(0, cut);
      queue = cut < 0 ? [] : queue.slice(cut);
      const events = batch.map((b) => b.event);
      try {
        await deps.store.appendEvents(testId, runId, events);
      } catch (error) {
        unwritten.push(...events);
        if (!warned) {
          warned = true;
          deps.logger.warn(
            `live events of ${testId} could not be written (${(error as Error).message}); they are saved with the result`,
          );
        }
      }
    }
  };

  const start = (): void => {
    flushing ??= flush().finally(() => {
      flushing = null;
      // An event pushed between the loop's last check and here would otherwise wait forever.
      if (queue.length > 0) start();
    });
  };

  return {
    push(runId, event) {
      queue.push({ runId, event });
      if (delayMs <= 0) start();
      else if (!timer && !flushing) {
        timer = setTimeout(() => {
          timer = undefined;
          start();
        }, delayMs);
        timer.unref();
      }
    },
    async finish() {
      clearTimeout(timer);
      timer = undefined;
      while (flushing) await flushing;
      // Held back (or pushed during the last write): they go in with the result.
      const rest = queue.map((q) => q.event);
      queue = [];
      return [...unwritten, ...rest];
    },
  };
}
