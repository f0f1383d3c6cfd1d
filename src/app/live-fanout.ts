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
  const readers = new SharedReaders(inner, options);
  return {
    mode: inner.mode,
    follow(testId): EventFollower {
      let channel: Channel | null = null;
      return {
        async next(afterId, waitMs, signal) {
          channel ??= readers.open(testId, afterId);
          const first = await readers.pending(testId, channel, afterId, 100);
          if (first.length > 0) return first;
          await news(channel, waitMs, signal);
          return readers.pending(testId, channel, afterId, 100);
        },
        async close() {
          if (!channel) return;
          const c = channel;
          channel = null;
          readers.leave(testId, c);
        },
      };
    },
  };
}

/** The channels of every test followed, each with its one reader, and the pace they share. */
class SharedReaders {
  private readonly channels = new Map<string, Channel>();
  private readonly bufferSize: number;
  private readonly readerWaitMs: number;
  private readonly minIntervalMs: number;
  private readonly idlePollMs: number;
  private readonly idleAfterMs: number;
  /** A poller asks once per read (waits of 1 ms): the pace, not the poller, spaces the reads. */
  private readonly polling: boolean;
  private nextReadAt = 0;

  constructor(
    private readonly inner: EventFeed,
    private readonly options: FanOutOptions,
  ) {
    this.bufferSize = options.bufferSize ?? 500;
    this.readerWaitMs = options.waitMs ?? 15_000;
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    this.idlePollMs = options.idlePollMs ?? 5_000;
    this.idleAfterMs = options.idleAfterMs ?? 60_000;
    this.polling = inner.mode === 'poll';
  }

  /** The test's channel, its reader started by the first view; counts the view in. */
  open(testId: string, afterId: string): Channel {
    let channel = this.channels.get(testId);
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
      this.channels.set(testId, created);
      void this.run(testId, created);
      channel = created;
    }
    channel.viewers++;
    return channel;
  }

  /** Counts a view out; the last one stops the test's reader. */
  leave(testId: string, channel: Channel): void {
    channel.viewers--;
    if (channel.viewers > 0) return;
    if (this.channels.get(testId) === channel) this.channels.delete(testId);
    channel.stop.abort(new Error('the last live view of this test closed'));
  }

  /** What a view at `afterId` has not seen: from the buffer, or (far behind) one plain read. */
  async pending(testId: string, channel: Channel, afterId: string, limit: number): Promise<StoredEvent[]> {
    if (channel.failed) throw channel.failed;
    if (compareIds(afterId, channel.cursor) >= 0) return [];
    if (compareIds(afterId, channel.coveredFrom) >= 0)
      return channel.buffer.filter((e) => compareIds(e.streamId, afterId) > 0).slice(0, limit);
    return this.options.readAfter(testId, afterId, limit);
  }

  /** The test's one reader: reads at the shared pace into the buffer until the last view leaves. */
  private async run(testId: string, channel: Channel): Promise<void> {
    const follower = this.inner.follow(testId);
    try {
      while (!channel.stop.signal.aborted) {
        await this.pace(channel);
        const wait = this.polling ? 1 : this.readerWaitMs;
        const events = await follower.next(channel.cursor, wait, channel.stop.signal);
        if (events.length > 0) this.keep(channel, events);
      }
    } catch (error) {
      if (!channel.stop.signal.aborted) {
        channel.failed = error as Error;
        // Views still open see the failure and end; the next view opens a fresh reader.
        if (this.channels.get(testId) === channel) this.channels.delete(testId);
        wake(channel, channel.failed);
      }
    } finally {
      await follower.close();
    }
  }

  /** Adds what the reader got to the buffer, dropping the oldest beyond its size, and wakes the views. */
  private keep(channel: Channel, events: StoredEvent[]): void {
    channel.eventAt = Date.now();
    channel.buffer.push(...events);
    channel.cursor = events.at(-1)?.streamId ?? channel.cursor;
    const drop = channel.buffer.length - this.bufferSize;
    if (drop > 0)
      channel.coveredFrom = channel.buffer.splice(0, drop).at(-1)?.streamId ?? channel.coveredFrom;
    wake(channel);
  }

  /** Waits for this channel's turn: reads of all channels start `minIntervalMs` apart. */
  private async pace(channel: Channel): Promise<void> {
    const now = Date.now();
    const quiet =
      this.polling && now - channel.eventAt > this.idleAfterMs ? channel.readAt + this.idlePollMs : 0;
    const at = Math.max(now, this.nextReadAt, quiet);
    this.nextReadAt = at + this.minIntervalMs;
    if (at > now) await sleep(at - now, channel.stop.signal);
    channel.readAt = Date.now();
  }
}

/** Hands the reader's news (or its failure) to every view waiting on the channel. */
function wake(channel: Channel, error?: Error): void {
  const waiters = [...channel.waiters];
  channel.waiters.clear();
  for (const w of waiters) w(error);
}

/** Resolves when the shared reader brings news, after `waitMs`, or rejects on abort or failure. */
function news(channel: Channel, waitMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
}
