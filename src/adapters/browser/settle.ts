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

interface NetworkState {
  pending: Set<Request>;
  /** When a request last started or ended (ms since epoch). */
  lastActivity: number;
}

const watched = new WeakMap<Page, NetworkState>();

/**
 * Starts counting the page's requests in flight. Call it when the page is created, so requests an
 * action starts before the first {@link settlePage} are seen; settlePage calls it too.
 */
export function watchNetwork(page: Page): void {
  if (watched.has(page)) return;
  const state: NetworkState = { pending: new Set(), lastActivity: 0 };
  watched.set(page, state);
  page.on('request', (r) => {
    if (LONG_LIVED.has(r.resourceType())) return;
    state.pending.add(r);
    state.lastActivity = Date.now();
  });
  const done = (r: Request) => {
    if (state.pending.delete(r)) state.lastActivity = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/**
 * Resolves once the page has had no request in flight and no DOM mutation for `quietMs`, or after
 * `maxMs`, whichever comes first. Never throws (a closed page counts as settled).
 *
 * The two quiet windows overlap: the DOM is watched in the page while the network is counted
 * here, so a page that is already still costs one `quietMs`, not two.
 */
export async function settlePage(page: Page, options: SettleOptions = {}): Promise<SettleResult> {
  const maxMs = options.maxMs ?? 2_000;
  const quietMs = options.quietMs ?? 300;
  const started = Date.now();
  const end = started + maxMs;
  watchNetwork(page);
  const net = watched.get(page) as NetworkState;
  const left = () => end - Date.now();
  const networkQuiet = () => net.pending.size === 0 && Date.now() - net.lastActivity >= quietMs;
  while (left() > 0 && !page.isClosed()) {
    // DOM quiet for quietMs, measured in the page while requests are counted here.
    const domQuiet = await domSettled(page, quietMs, left());
    if (domQuiet && networkQuiet()) return { settled: true, ms: Date.now() - started };
    if (!domQuiet) {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    // The DOM was still but requests were in flight: wait for them, then look at the DOM again,
    // since a response usually renders something.
    while (left() > 0 && !networkQuiet()) await new Promise((r) => setTimeout(r, 25));
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
