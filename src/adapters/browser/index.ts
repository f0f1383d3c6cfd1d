/**
 * adapters/browser/: the shared Chromium (playwright-core) and what guards and reads its pages: the
 * pool of contexts, the guard proxy, settling, snapshots and visible text.
 */
export { BrowserPool, type BrowserPoolOptions, CHROMIUM_ARGS } from './browser-pool.js';
export { CHROMIUM_NAMES, findChromium } from './find-chromium.js';
export { type SettleOptions, type SettleResult, settlePage, watchNetwork } from './settle.js';
export { isRef, type PageSnapshot, refLocator, type SnapshotOptions, takeSnapshot } from './snapshot.js';
export type { BlockedRequest, GuardedContextOptions, RequestPolicy } from './types.js';
export { readPageText } from './visible-text.js';
