/**
 * `GET /r/{owner}/{repo}/{slug}/events`: server-sent events from the test's `events:{id}` stream.
 * Each event carries its stream id as `id:`, so a reconnecting EventSource sends Last-Event-ID and
 * resumes exactly after it. A connection lasts at most `maxMs`; the browser then reconnects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardStore, EventFeed } from '../../core/dashboard/ports.js';
import type { Logger } from '../../core/ports.js';
import { SECURITY_HEADERS } from './http-util.js';

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

export interface LiveDeps {
  feed: EventFeed;
  dashboard: DashboardStore;
  logger: Logger;
  /** Longest life of one connection (default 5 minutes). */
  maxMs?: number;
  /** Longest wait for an event before a keep-alive comment (default 15 s). */
  waitMs?: number;
}

/** Where to start: Last-Event-ID (a reconnect), else `?after=`, else the stream's newest entry. */
async function startId(
  deps: LiveDeps,
  req: IncomingMessage,
  testId: string,
  after: string | null,
): Promise<string> {
  const header = req.headers['last-event-id'];
  const last = Array.isArray(header) ? header[0] : header;
  if (last && STREAM_ID.test(last)) return last;
  if (after && STREAM_ID.test(after)) return after;
  return (await deps.dashboard.lastEventId(testId)) ?? '0-0';
}

export async function serveLiveEvents(
  deps: LiveDeps,
  req: IncomingMessage,
  res: ServerResponse,
  testId: string,
  after: string | null,
): Promise<void> {
  let lastId = await startId(deps, req, testId, after);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const controller = new AbortController();
  res.on('close', () => controller.abort(new Error('the browser closed the live view')));
  const follower = deps.feed.follow(testId);
  const end = Date.now() + (deps.maxMs ?? 5 * 60_000);
  try {
    while (!controller.signal.aborted && Date.now() < end) {
      const wait = Math.min(deps.waitMs ?? 15_000, end - Date.now());
      const events = await follower.next(lastId, Math.max(1, wait), controller.signal);
      if (events.length === 0) {
        res.write(': keep-alive\n\n');
        continue;
      }
      for (const e of events) {
        lastId = e.streamId;
        const data = JSON.stringify({ type: e.type, message: e.message, at: e.at, runId: e.runId });
        res.write(`id: ${e.streamId}\nevent: run-event\ndata: ${data}\n\n`);
      }
    }
  } catch (error) {
    if (!controller.signal.aborted)
      deps.logger.warn(`live events of ${testId} stopped: ${(error as Error).message}`);
  } finally {
    await follower.close();
    res.end();
  }
}
