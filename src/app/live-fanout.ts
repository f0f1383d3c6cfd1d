/**
 * One Redis reader per test and process for the dashboard's live views. Every open view of a test
 * shares one follower of `events:{id}` (one blocking connection over TCP, one poller over REST);
 * what it reads is kept in a short buffer and handed to each view from the view's own last id. A
 * view that is behind what the buffer holds (it opened on an older page) catches up with one plain
 * read on the shared connection, then follows the buffer. Before this, 100 open views held 100
 * connections and timed out the shared one (issue 23).
 *
 * The readers of every test share one pace (issue 25): their commands start at least `minIntervalMs`
 * apart (1 s), so one process's live views cost Redis at most one command a second whatever the
 * number of viewers, and a poller that found nothing for a minute slows to one read per `idlePollMs`.
 * Over TCP a read blocks in `XREAD BLOCK` until an event comes, so an event still shows at once; over
 * REST the reader polls, one `XRANGE` per read.
 */
import type { EventFeed, EventFollower } from '../core/dashboard/ports.js';
import type { StoredEvent } from '../core/ports.js';

export interface FanOutOptions {
  /** A non-blocking read of entries after `afterId`, oldest first (Store.readEvents). */
  readAfter(testId: string, afterId: string, limit: number): Promise<StoredEvent[]>;
  /** Entries kept per test for views that are a little behind (default 500). */
  bufferSize?: number;
  /** Longest wait of the shared reader before it asks again (default 15 s). */
  waitMs?: number;
  /** Least time between the starts of two reads, across every test followed (default 1000 ms). */
  minIntervalMs?: number;
  /** A polling reader without events for `idleAfterMs` (default 60 s) reads every `idlePollMs` (5 s). */
  idlePollMs?: number;
  idleAfterMs?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    function abort(): void {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', abort, { once: true });
  });

/** Compares two stream ids (`ms-seq`) numerically. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((p) => BigInt(p || '0'));
  const [bm = 0n, bs = 0n] = b.split('-').map((p) => BigInt(p || '0'));
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

interface Channel {
  viewers: number;
  /** Every entry after `coveredFrom` up to `cursor` is in `buffer` (oldest first). */
  coveredFrom: string;
  cursor: string;
  buffer: StoredEvent[];
  waiters: Set<(error?: Error) => void>;
  /** When its reader last started a read, and last got events (epoch ms). */
  readAt: number;
  eventAt: number;
  failed?: Error;
  stop: AbortController;
}

/** `inner`'s feed, shared: one follower per test however many views follow it. */
export function fanOutFeed(inner: EventFeed, options: FanOutOptions): EventFeed {
  const channels = new Map<string, Channel>();
  const bufferSize = options.bufferSize ?? 500;
  const readerWaitMs = options.waitMs ?? 15_000;
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const idlePollMs = options.idlePollMs ?? 5_000;
  const idleAfterMs = options.idleAfterMs ?? 60_000;
  // A poller asks once per read (waits of 1 ms): the pace below, not the poller, spaces the reads.
  const polling = inner.mode === 'poll';
  let nextReadAt = 0;

  /** Waits for this channel's turn: reads of all channels start `minIntervalMs` apart. */
  const pace = async (channel: Channel): Promise<void> => {
    const now = Date.now();
    const quiet = polling && now - channel.eventAt > idleAfterMs ? channel.readAt + idlePollMs : 0;
    const at = Math.max(now, nextReadAt, quiet);
    nextReadAt = at + minIntervalMs;
    if (at > now) await sleep(at - now, channel.stop.signal);
    channel.readAt = Date.now();
  };

  const wake = (channel: Channel, error?: Error): void => {
    const waiters = [...channel.waiters];
    channel.waiters.clear();
    for (const w of waiters) w(error);
  };

  const run = async (testId: string, channel: Channel): Promise<void> => {
    const follower = inner.follow(testId);
    try {
      while (!channel.stop.signal.aborted) {
        await pace(channel);
        const wait = polling ? 1 : readerWaitMs;
        const events = await follower.next(channel.cursor, wait, channel.stop.signal);
        const last = events.at(-1);
        if (!last) continue;
        channel.eventAt = Date.now();
        channel.buffer.push(...events);
        channel.cursor = last.streamId;
        const drop = channel.buffer.length - bufferSize;
        if (drop > 0)
          channel.coveredFrom = channel.buffer.splice(0, drop).at(-1)?.streamId ?? channel.coveredFrom;
        wake(channel);
      }
    } catch (error) {
      if (!channel.stop.signal.aborted) {
        channel.failed = error as Error;
        // Views still open see the failure and end; the next view opens a fresh reader.
        if (channels.get(testId) === channel) channels.delete(testId);
        wake(channel, channel.failed);
      }
    } finally {
      await follower.close();
    }
  };

  const open = (testId: string, afterId: string): Channel => {
    let channel = channels.get(testId);
    if (!channel) {
      const created: Channel = {
        viewers: 0,
        coveredFrom: afterId,
        cursor: afterId,
        buffer: [],
        waiters: new Set(),
        readAt: 0,
        eventAt: Date.now(),
        stop: new AbortController(),
      };
      channels.set(testId, created);
      void run(testId, created);
      channel = created;
    }
    channel.viewers++;
    return channel;
  };

  /** Resolves when the shared reader brings news, after `waitMs`, or rejects on abort or failure. */
  const news = (channel: Channel, waitMs: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const done = (error?: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        channel.waiters.delete(done);
        if (error) reject(error);
        else resolve();
      };
      const abort = () => done(signal.reason as Error);
      const timer = setTimeout(() => done(), waitMs);
      signal.addEventListener('abort', abort, { once: true });
      channel.waiters.add(done);
    });

  const pending = async (testId: string, channel: Channel, afterId: string, limit: number) => {
    if (channel.failed) throw channel.failed;
    if (compareIds(afterId, channel.cursor) >= 0) return [];
    if (compareIds(afterId, channel.coveredFrom) >= 0)
      return channel.buffer.filter((e) => compareIds(e.streamId, afterId) > 0).slice(0, limit);
    return options.readAfter(testId, afterId, limit);
  };

  return {
    mode: inner.mode,
    follow(testId): EventFollower {
      let channel: Channel | null = null;
      return {
        async next(afterId, waitMs, signal) {
          channel ??= open(testId, afterId);
          const first = await pending(testId, channel, afterId, 100);
          if (first.length > 0) return first;
          await news(channel, waitMs, signal);
          return pending(testId, channel, afterId, 100);
        },
        async close() {
          if (!channel) return;
          const c = channel;
          channel = null;
          c.viewers--;
          if (c.viewers > 0) return;
          if (channels.get(testId) === c) channels.delete(testId);
          c.stop.abort(new Error('the last live view of this test closed'));
        },
      };
    },
  };
}
