/**
 * Following a test's `events:{id}` stream for the dashboard's live view. Over TCP each follower has
 * a connection of its own and waits in `XREAD BLOCK`, so an event reaches the page as soon as it is
 * written. Upstash REST has no blocking reads: the follower polls with `XRANGE` from the last id at
 * a bounded rate (every `pollMs`, slower after `idleAfterMs` without an event), which bounds the
 * requests one open page costs.
 */
import type { EventFeed, EventFollower } from '../../core/dashboard/ports.js';
import type { StoredEvent } from '../../core/ports.js';
import { decodeEvents } from './codec.js';
import type { RedisStore } from './redis-store.js';
import type { Reply } from './transport.js';

export interface EventFeedOptions {
  /** REST polling interval while events arrive (default 1000 ms). */
  pollMs?: number;
  /** REST polling interval once the stream was quiet for `idleAfterMs` (default 5000 ms). */
  idlePollMs?: number;
  /** Default 60 s. */
  idleAfterMs?: number;
  /** Entries per read (default 100). */
  count?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', abort, { once: true });
  });

/** XREAD's answer `[[key, entries]]` (or nil on timeout) as stored events. */
function xreadEntries(reply: Reply): StoredEvent[] {
  if (!Array.isArray(reply)) return [];
  const stream = reply[0];
  return Array.isArray(stream) ? decodeEvents(stream[1] ?? null) : [];
}

/** The live feed over `store`'s transport: blocking over TCP, polling over REST. */
export function createEventFeed(store: RedisStore, options: EventFeedOptions = {}): EventFeed {
  const transport = store.transport;
  const count = String(options.count ?? 100);
  const pollMs = options.pollMs ?? 1000;
  const idlePollMs = options.idlePollMs ?? 5000;
  const idleAfterMs = options.idleAfterMs ?? 60_000;
  const open = transport.openBlocking?.bind(transport);
  if (open) {
    return {
      mode: 'block',
      follow(testId): EventFollower {
        const connection = open();
        const key = store.keys.events(testId);
        return {
          async next(afterId, waitMs, signal) {
            if (signal.aborted) throw signal.reason;
            const stop = () => void connection.close();
            signal.addEventListener('abort', stop, { once: true });
            try {
              const command = [
                'XREAD',
                'COUNT',
                count,
                'BLOCK',
                String(Math.max(1, waitMs)),
                'STREAMS',
                key,
                afterId,
              ];
              return xreadEntries(await connection.command('follow events', command, waitMs));
            } finally {
              signal.removeEventListener('abort', stop);
            }
          },
          close: () => connection.close(),
        };
      },
    };
  }
  return {
    mode: 'poll',
    follow(testId): EventFollower {
      let lastSeen = Date.now();
      return {
        async next(afterId, waitMs, signal) {
          const until = Date.now() + waitMs;
          for (;;) {
            const events = await store.readEvents(testId, { afterId, limit: Number(count) });
            if (events.length > 0) {
              lastSeen = Date.now();
              return events;
            }
            const interval = Date.now() - lastSeen > idleAfterMs ? idlePollMs : pollMs;
            const left = until - Date.now();
            if (left <= 0) return [];
            await sleep(Math.min(interval, left), signal);
          }
        },
        async close() {},
      };
    },
  };
}
