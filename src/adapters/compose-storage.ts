/**
 * The storage bundle: every store a process needs, over one Redis connection, each typed by the
 * port its callers use. This file and the other `compose*.ts` files are the composition root: the
 * only place that knows the stores share one Redis (`RedisStore`), so no entry point or use case
 * downcasts the Store port or probes it for methods (tests/architecture.test.ts checks).
 */
import type { DashboardStore, EventFeed, TestPageReader } from '../core/dashboard/ports.js';
import type { Sealer } from '../core/dashboard/sealer.js';
import type { OutboxStore } from '../core/incidents/outbox.js';
import type { SharedRateLimit } from '../core/limits/ports.js';
import type { NotifyHealthStore } from '../core/notify/ports.js';
import { type Clock, type StatusReader, type StatusWriter, type Store, systemClock } from '../core/ports.js';
import type { ReplayStore } from '../core/replay/index.js';
import type { RunRecordStore } from '../core/run/run-record.js';
import type { WatchdogStore } from '../core/scheduling/ports.js';
import type { HouseCatEnv } from './env.js';
import { createDashboardStore } from './store/dashboard-store.js';
import { createEventFeed, type EventFeedOptions } from './store/event-follower.js';
import { type CreateStoreOptions, createStore } from './store/index.js';
import { createNotifyHealthStore } from './store/notify-health-store.js';
import type { RedisStore } from './store/redis-store.js';
import { createRedisReplayStore } from './store/replay-store.js';
import { createRunStore } from './store/run-store.js';
import { statusStoreOf, testIdsFor } from './store/status-store.js';

/** What a process keeps in Redis, by the port each caller needs. */
export interface Storage {
  /** Tests, results, events, incidents and claims; the watchdog reads every test through it too. */
  results: Store & WatchdogStore;
  /** Status pages, badges, the read API and the dashboard's pages; sync's settings; rollup rebuild. */
  status: StatusReader & StatusWriter & TestPageReader;
  /** Replay scripts of passing agent runs (`replay:{id}`). */
  replay: ReplayStore;
  /** The GitHub work incident decisions and webhooks leave to do. */
  outbox: OutboxStore;
  /** Rate limits shared by every replica (GitHub's content creation, Run now per person). */
  slots: SharedRateLimit;
  /** The dashboard's sessions, access cache and screenshots, sealed with the app's key. */
  dashboard(sealer: Sealer): DashboardStore;
  /** The live view's feed of a test's events: blocking reads over TCP, polling over REST. */
  follow(options?: EventFeedOptions): EventFeed;
  /** Every test id, or one repository's, sorted (`housecat rollup rebuild`). */
  testIds(repo?: string): Promise<string[]>;
  /** The run page's records, step screenshots and traces (issue 29), capped per test and repository. */
  runs: RunRecordStore;
  /** Each alert channel's health as the dashboard shows it (failures in a row, given-up alerts). */
  notifyHealth: NotifyHealthStore;
  /** What readiness and /metrics read. */
  health: {
    ping(): Promise<void>;
    outboxStats(): Promise<{ tests: number; earliestDueAt: number | null }>;
    activeIncidents(): Promise<number>;
    /** Failed round trips since start (0 when the transport does not count them). */
    failures(): number;
  };
  close(): Promise<void>;
}

/**
 * The bundle over a store built by createStore. `clock` is the reads' "now" (status windows): give
 * the same clock the store keeps time on.
 */
export function storageOf(store: RedisStore, options: { clock?: Clock } = {}): Storage {
  return {
    results: store,
    status: statusStoreOf(store, options.clock),
    replay: createRedisReplayStore(store),
    outbox: store.outbox,
    slots: store,
    dashboard: (sealer) => createDashboardStore(store, sealer),
    follow: (feed) => createEventFeed(store, feed),
    testIds: (repo) => testIdsFor(store, repo),
    runs: createRunStore(store, () => (options.clock ?? systemClock).now()),
    notifyHealth: createNotifyHealthStore(store.transport, store.keys.prefix, () =>
      (options.clock ?? systemClock).now(),
    ),
    health: {
      ping: () => store.ping(),
      outboxStats: () => store.outboxStats(),
      activeIncidents: () => store.activeIncidents(),
      failures: () => store.transport.failures ?? 0,
    },
    close: () => store.close(),
  };
}

/**
 * The storage the environment configures (Upstash REST, else REDIS_URL), or null when no Redis is
 * configured. Throws ConfigError for half a configuration, as createStore does.
 */
export function createStorage(env: HouseCatEnv, options: CreateStoreOptions = {}): Storage | null {
  const store = createStore(env, options);
  return store ? storageOf(store, options.clock ? { clock: options.clock } : {}) : null;
}
