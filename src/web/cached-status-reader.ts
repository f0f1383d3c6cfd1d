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
  // The newest head version seen per repository: a head that moved makes the tests' entry a new
  // one, so a page is never rendered from tests older than the ETag it is sent with.
  const versions = new Map<string, string>();
  return {
    readRepoHead(repo, options) {
      // historyFrom moves with every millisecond; a value up to ttlMs old shows the same history.
      const key = `head\u0000${repo}\u0000${options.includePrivate ? 1 : 0}`;
      return through(key, async () => {
        const head = await reader.readRepoHead(repo, options);
        versions.delete(repo);
        versions.set(repo, head.version);
        while (versions.size > MAX_ENTRIES) {
          const oldest = versions.keys().next().value;
          if (oldest === undefined) break;
          versions.delete(oldest);
        }
        return head;
      });
    },
    readRepoTests(repo, ids, options) {
      const key = `tests\u0000${repo}\u0000${versions.get(repo) ?? ''}\u0000${ids.join(',')}\u0000${JSON.stringify(options)}`;
      return through(key, () => reader.readRepoTests(repo, ids, options));
    },
    readRepoStatus(repo, options) {
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
    readTestBadge(repo, slug, options) {
      return through(`badge\u0000${repo}\u0000${slug}\u0000${JSON.stringify(options)}`, () =>
        reader.readTestBadge(repo, slug, options),
      );
    },
  };
}
