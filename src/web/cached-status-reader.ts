/**
 * Public pages, badges and the read API read through a short in-process cache: a popular badge
 * costs Redis at most one read per period in each process, whatever its query string (`?cb=` only
 * defeats a CDN; it never reaches the reader). Concurrent misses for the same read share one
 * request. Entries are few (one per repository or test shown) and bounded.
 *
 * Only public reads go through it: the dashboard reads per person, after its access check.
 */
import type { Clock, StatusReader } from '../core/ports.js';

/** How long a public read is reused (the pages say `max-age=30`, badges 60: 5 s is well inside). */
export const PUBLIC_CACHE_MS = 5_000;
const MAX_ENTRIES = 2_000;

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** `reader` behind a cache of `ttlMs` on `clock`. */
export function cachedStatusReader(
  reader: StatusReader,
  clock: Clock,
  ttlMs = PUBLIC_CACHE_MS,
): StatusReader {
  const entries = new Map<string, Entry>();
  const through = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const now = clock.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = read();
    entries.delete(key);
    entries.set(key, { at: now, value });
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    while (entries.size > MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    return value;
  };
  return {
    readRepoStatus(repo, options) {
      // historyFrom moves with every millisecond; a value up to ttlMs old shows the same history.
      const { historyFrom: _ignored, ...rest } = options;
      return through(`repo\u0000${repo}\u0000${JSON.stringify(rest)}`, () =>
        reader.readRepoStatus(repo, options),
      );
    },
    readTestStatus(repo, slug, options) {
      return through(`test\u0000${repo}\u0000${slug}\u0000${JSON.stringify(options)}`, () =>
        reader.readTestStatus(repo, slug, options),
      );
    },
  };
}
