/**
 * What the app is built from (createApp in app.ts): the composed storage and agent, the settings,
 * and the tunables tests and benchmarks scale down.
 */
import type { GitHubSettings } from '../adapters/compose-github.js';
import type { Storage } from '../adapters/compose-storage.js';
import type { ChannelSpec } from '../core/notify/channels.js';
import type { Notifier } from '../core/notify/ports.js';
import type { Agent, Clock, Logger, StatusReader } from '../core/ports.js';
import type { EnvironmentFacts } from '../core/run/environment-check.js';
import type { ScheduleLister } from '../core/scheduling/ports.js';
import type { ServerLimits } from '../web/server-limits.js';
import type { BotConfig } from './config.js';
import type { DashboardOptions } from './dashboard/index.js';

/**
 * The GitHub side's tunables, passed on to composeGitHub as they are: documented once, there
 * (adapters/compose-github.ts).
 */
type GitHubTunables = Pick<
  GitHubSettings,
  'logLevel' | 'probotLog' | 'Octokit' | 'throttle' | 'contentLimits' | 'createTimeoutMs'
>;

export interface BotDeps extends GitHubTunables {
  config: Omit<BotConfig, 'port'>;
  /** Every store the app reads and writes, over one Redis (adapters/compose-storage.ts). */
  storage: Storage;
  agent: Agent;
  clock?: Clock;
  logger?: Logger;
  /** Upper bound of one run (default 240 s), below QStash's response timeout. */
  maxRunMs?: number;
  /** Seconds of clock skew accepted on QStash tokens (default 5). */
  clockToleranceS?: number;
  /** How long the answer to QStash waits for the GitHub issue update (default 20 s; it finishes afterwards). */
  incidentWaitMs?: number;
  secretsFor?: (names: string[]) => Record<string, string>;
  /** What the environment offers: a delivery of a test it cannot run is recorded as an error naming the fix. */
  environment?: EnvironmentFacts;
  /**
   * Scheduled runs at once in this process (HOUSECAT_MAX_PARALLEL_RUNS; `housecat serve` always
   * passes one); past it a delivery answers 429 with Retry-After. Unset: no bound.
   */
  maxParallelRuns?: number;
  /** The dashboard's tunables (it runs when `config.oauth` is set). */
  dashboard?: DashboardOptions;
  /** Reads behind status pages, badges and the read API (default: `storage.status`). */
  statusReader?: StatusReader;
  /** QStash's schedule list for the watchdog's check (needs QSTASH_TOKEN); unset: not checked. */
  schedules?: ScheduleLister | null;
  /** How long public status reads are reused in this process (default 5 s; 0 turns the cache off). */
  publicCacheMs?: number;
  /** The outbox drainer's lease on a queue (default 15 s): how soon a killed process's work is taken over. */
  outboxLeaseMs?: number;
  /** The outbox's first retry pause, doubling after each failure (default 2 s). */
  outboxFirstRetryMs?: number;
  /** HOUSECAT_METRICS_TOKEN: turns on GET /metrics for scrapers sending it as a bearer token. */
  metricsToken?: string;
  /** Browser contexts open now, for /metrics (`housecat serve` passes its pool's count). */
  browserContexts?: () => number;
  /** Header/request timeouts and the connection cap (src/web/server-limits.ts; tests shorten them). */
  serverLimits?: Partial<ServerLimits>;
  /** Alert channels (HOUSECAT_NOTIFY_*, read by the entry point: core/notify/channels.ts). */
  channels?: readonly ChannelSpec[];
  /** The alert senders (default: over `channels`); tests wrap them to crash mid-send. */
  notifier?: Notifier;
}
