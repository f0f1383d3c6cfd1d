/**
 * Waits for a page to settle after an action (or a navigation) before it is read: no request in
 * flight and no DOM change for a short quiet window, bounded in time. Single-page apps render
 * after `load` and answer a form with a fetch, so a snapshot taken at once shows the page before
 * the change. Used by the claude agent before every snapshot and by replay.
 */
import type { Page, Request } from 'playwright-core';

export interface SettleOptions {
  /** Upper bound of the wait, in ms (default 2,000). The page may still be busy after it. */
  maxMs?: number;
  /** How long network and DOM must stay quiet, in ms (default 300). */
  quietMs?: number;
}

export interface SettleResult {
  /** True when the page was quiet before `maxMs`. */
  settled: boolean;
  /** Milliseconds waited. */
  ms: number;
}

// Connections that stay open by design never "finish": counting them would make every wait max out.
const LONG_LIVED = new Set(['eventsource', 'websocket', 'manifest']);

const inFlight = new WeakMap<Page, Set<Request>>();

/**
 * Starts counting the page's requests in flight. Call it when the page is created, so requests an
 * action starts before the first {@link settlePage} are seen; settlePage calls it too.
 */
export function watchNetwork(page: Page): void {
  if (inFlight.has(page)) return;
  const pending = new Set<Request>();
  inFlight.set(page, pending);
  page.on('request', (r) => {
    if (!LONG_LIVED.has(r.resourceType())) pending.add(r);
  });
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
}

/**
 * Resolves once the page has had no request in flight and no DOM mutation for `quietMs`, or after
 * `maxMs`, whichever comes first. Never throws (a closed page counts as settled).
 */
export async function settlePage(page: Page, options: SettleOptions = {}): Promise<SettleResult> {
  const maxMs = options.maxMs ?? 2_000;
  const quietMs = options.quietMs ?? 300;
  const started = Date.now();
  const end = started + maxMs;
  watchNetwork(page);
  const pending = inFlight.get(page) as Set<Request>;
  const left = () => end - Date.now();
  while (left() > 0 && !page.isClosed()) {
    // Network quiet: nothing in flight for quietMs.
    let quietSince = pending.size === 0 ? Date.now() : 0;
    while (left() > 0) {
      if (pending.size > 0) quietSince = 0;
      else if (quietSince === 0) quietSince = Date.now();
      if (quietSince && Date.now() - quietSince >= quietMs) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    if (left() <= 0) break;
    // DOM quiet: no mutation for quietMs (measured in the page).
    const domQuiet = await domSettled(page, quietMs, left());
    // A mutation that started a request (a fetch after render) means another round.
    if (domQuiet && pending.size === 0) return { settled: true, ms: Date.now() - started };
    if (!domQuiet) await new Promise((r) => setTimeout(r, 25));
  }
  return { settled: false, ms: Date.now() - started };
}

async function domSettled(page: Page, quietMs: number, maxMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), maxMs + 200);
  });
  const inPage = page
    .evaluate(
      ({ quiet, max }) =>
        new Promise<boolean>((resolve) => {
          let idle: ReturnType<typeof setTimeout>;
          const done = (value: boolean) => {
            observer.disconnect();
            clearTimeout(idle);
            clearTimeout(cap);
            resolve(value);
          };
          const observer = new MutationObserver(() => {
            clearTimeout(idle);
            idle = setTimeout(() => done(true), quiet);
          });
          observer.observe(document, {
            subtree: true,
            childList: true,
            attributes: true,
            characterData: true,
          });
          idle = setTimeout(() => done(true), quiet);
          const cap = setTimeout(() => done(false), max);
        }),
      { quiet: quietMs, max: maxMs },
    )
    // A navigation destroyed the context: the new page is not settled yet.
    .catch(() => false);
  try {
    return await Promise.race([inPage, late]);
  } finally {
    clearTimeout(timer);
  }
}
