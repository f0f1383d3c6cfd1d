/**
 * TinyFish's side of a run: its server-sent event stream, read up to the `COMPLETE` event, and its
 * cancellation (closing the stream does not stop a TinyFish run: it keeps browsing, and is billed).
 */
import type { RunResult } from '../../../core/types.js';
import { errorMessage, type Recorder } from '../recorder.js';
import { readSse } from './sse.js';
import { type CompleteEvent, finishFromComplete, shorten } from './verdict.js';

interface TinyFishEvent extends CompleteEvent {
  type?: string;
  purpose?: string;
  runId?: unknown;
  run_id?: unknown;
  streaming_url?: string;
  streamingUrl?: string;
  [key: string]: unknown;
}

/** The run id of an event, in the SDK's spelling or the API reference example's. */
function runIdOf(event: TinyFishEvent): string | undefined {
  const id = event.runId ?? event.run_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** How long cancelling a run on TinyFish's side may take: it happens inside the runner's grace time. */
export const CANCEL_TIMEOUT_MS = 2000;

/**
 * Reads TinyFish's events, recording start, live URL and progress as steps, until `COMPLETE` gives
 * the verdict. Sets `remote.runId` from the first event that carries it.
 */
export async function followEvents(
  rec: Recorder,
  body: AsyncIterable<Uint8Array>,
  url: string,
  requestStart: number,
  remote: { runId?: string },
): Promise<RunResult> {
  for await (const message of readSse(body)) {
    let event: TinyFishEvent;
    try {
      event = JSON.parse(message.data) as TinyFishEvent;
    } catch {
      continue; // not JSON: TinyFish documents JSON data lines only
    }
    const type = (event.type ?? message.event).toUpperCase();
    remote.runId ??= runIdOf(event);
    if (type === 'STARTED') {
      const id = runIdOf(event);
      rec.step('tinyfish:start', `TinyFish started run${id ? ` ${id}` : ''}`, true, { target: url });
    } else if (type === 'STREAMING_URL') {
      const live = event.streamingUrl ?? event.streaming_url;
      if (typeof live === 'string') rec.step('tinyfish:live', `watch live at ${live}`, true);
    } else if (type === 'PROGRESS' && typeof event.purpose === 'string') {
      rec.step('tinyfish:progress', shorten(event.purpose), true);
    } else if (type === 'COMPLETE' || type === 'COMPLETED') {
      return finishFromComplete(rec, event, requestStart);
    }
  }
  return rec.finish('error', 'TinyFish closed the stream before the run completed; no verdict.');
}

/**
 * Cancels TinyFish's run `id` (POST /v1/runs/{id}/cancel), within {@link CANCEL_TIMEOUT_MS}.
 * Returns a sentence for the result's reason; never throws.
 */
export async function cancelRemote(
  remote: { doFetch: typeof fetch; base: string },
  id: string,
  apiKey: string,
): Promise<string> {
  try {
    const response = await remote.doFetch(`${remote.base}/v1/runs/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
    });
    await response.text().catch(() => '');
    return response.ok
      ? ` TinyFish run ${id} was cancelled.`
      : ` Cancelling TinyFish run ${id} answered HTTP ${response.status}: it may still run (and be billed); cancel it at agent.tinyfish.ai.`;
  } catch (error) {
    return ` TinyFish run ${id} could not be cancelled (${errorMessage(error)}): it may still run (and be billed); cancel it at agent.tinyfish.ai.`;
  }
}
