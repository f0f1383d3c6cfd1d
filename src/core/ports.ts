/**
 * The narrow interfaces (ports) core use cases depend on. Adapters in src/adapters implement them
 * over real services; use cases take them as arguments, so every part runs against a real local server
 * in the tests.
 */
import type { OutboxItem, OutboxStore } from './incidents/outbox.js';
import type { HourCounts } from './status/rollup.js';
import type { Incident, RunEvent, RunResult, TestDefinition } from './types.js';

/** A test as the store holds it: the definition plus what sync keeps beside it. */
export interface StoredTest {
  definition: TestDefinition;
  /** SHA-256 of the canonical definition JSON: sync compares it to decide "unchanged". */
  contentHash: string;
  /** The QStash schedule id, when the test has a schedule. */
  scheduleId?: string;
  /** Epoch ms of the last sync that wrote this test. */
  updatedAt: number;
}

/** One stored run result, as read back (newest first). */
export interface StoredResult {
  runId: string;
  status: RunResult['status'];
  reason: string;
  startedAt: number;
  durationMs: number;
  responseMs?: number;
  /** The step that failed, for failures: `action target: outcome`. */
  failedStep?: string;
  source?: RunResult['source'];
  /** How a goal test's verdict was reached (absent for checks-only runs and older members). */
  mode?: RunResult['mode'];
  /** LLM calls of the run (0 for a replay); absent in members written before replay. */
  llm_calls?: number;
  /** Scheduled runs: the cron tick of the delivery (see RunResult.tick). */
  tick?: number;
  /** Scheduled runs: milliseconds from the tick to the delivery's arrival. */
  latenessMs?: number;
}

export interface StoredTiming {
  runId: string;
  at: number;
  ms: number;
}

export interface StoredEvent extends RunEvent {
  /** Redis stream entry id. */
  streamId: string;
  runId: string;
}

export interface RangeQuery {
  /** Epoch ms, inclusive. Default: beginning of time. */
  from?: number;
  /** Epoch ms, inclusive. Default: now. */
  to?: number;
  /** Maximum entries, newest first. */
  limit?: number;
}

/** Everything HouseCat keeps. One implementation over @upstash/redis (REST), one over `redis` (TCP). */
export interface Store {
  /** Tests of one repository (`owner/name`), in at most 2 round trips. */
  listRepoTests(repo: string): Promise<StoredTest[]>;
  /** One test, or `null` when it does not exist ("not found", never an empty object). */
  getTest(id: string): Promise<StoredTest | null>;
  /**
   * Writes a sync's changes for one repository atomically (one MULTI): upserts and removals.
   * A removed test leaves `tests:all` and the repo index and loses its hash; its results, timings
   * and events stay until retention trims them.
   */
  applySync(repo: string, changes: { upsert: StoredTest[]; remove: string[] }): Promise<void>;
  /**
   * Records a run: result, timing and events in one round trip; trims data older than retention.
   * `settle` sets a claim to a final value in the same transaction (a delivery becomes `done` exactly
   * when its result exists, so no crash can leave one without the other).
   */
  recordRun(result: RunResult, events: RunEvent[], settle?: ClaimSettle): Promise<void>;
  getResults(testId: string, query?: RangeQuery): Promise<StoredResult[]>;
  getTimings(testId: string, query?: RangeQuery): Promise<StoredTiming[]>;
  /**
   * Appends live events of a run (capped stream). Nothing calls it yet; it stays because the
   * README documents following a run live in `events:{id}`, and this is how a run writes its
   * events while it goes (today they are written with the result, by `recordRun`).
   */
  appendEvents(testId: string, runId: string, events: RunEvent[]): Promise<void>;
  /** Events after `afterId` (exclusive; default from the start), oldest first. */
  readEvents(testId: string, options?: { afterId?: string; limit?: number }): Promise<StoredEvent[]>;
  getIncident(testId: string): Promise<Incident | null>;
  /** Creates or replaces the incident record; keeps the `incidents` list of active ones in step. */
  saveIncident(incident: Incident): Promise<void>;
  /** Marks the incident resolved and removes it from the `incidents` list. */
  closeIncident(testId: string, resolvedAt: number): Promise<void>;
  /**
   * `SET key owner NX PX ttl`. True when `owner` holds the key after the call: it was free, or
   * `owner` already held it. The second case is a resend of this same claim after its answer was
   * lost (@upstash/redis retries on network errors), so it is success too. Give each attempt its
   * own owner token: two requests sharing one would both get true.
   */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases a claim only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * Sets the claim's TTL to `ttlMs` when `owner` still holds it (the heartbeat of a lease). False
   * when it is gone or held by someone else.
   */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** The value a claim holds now (its owner token, or a final state such as `done`), or null. */
  readClaim(key: string): Promise<string | null>;
  /** Closes connections. */
  close(): Promise<void>;
  /** The GitHub work incident decisions leave to do (core/incidents/outbox.ts). */
  readonly outbox: OutboxStore;
  /** A scheduled delivery's claim and record, one round trip each (core/scheduling/delivery-store.ts). */
  readonly delivery: DeliveryStore;
  /** The names of the claims use cases take: the store owns its key names, use cases only say which. */
  readonly claimNames: ClaimNames;
}

/** Names for `Store.claim` and friends (built by the store adapter; see adapters/store/keys.ts). */
export interface ClaimNames {
  /** One run of a test at a time. */
  runLock(testId: string): string;
  /** One incident decision of a test at a time. */
  incidentLock(testId: string): string;
  /** One drainer of a test's outbox queue at a time. */
  outbox(testId: string): string;
  /** A QStash token (`jti`), claimed once. */
  token(jti: string): string;
  /** When a QStash message (or, without an id, its token) first arrived. */
  arrival(messageId: string | undefined, jti: string): string;
  /** One watchdog pass at a time, across replicas. */
  watchdog(): string;
}

/** A claim set to a final value, with its own TTL (see `Store.recordRun`). */
export interface ClaimSettle {
  key: string;
  value: string;
  ttlMs: number;
}

/** A QStash schedule as HouseCat sees it. */
export interface ScheduleSpec {
  /** Deterministic, derived from the test id: creating is an upsert. */
  scheduleId: string;
  destination: string;
  cron: string;
  /** Seconds after each tick the delivery is due (the test's `scheduleSecond`); absent: 0. */
  delaySeconds?: number;
  retries: number;
  /**
   * QStash flow control: deliveries sharing `key` (one per app) never exceed `parallelism` at once;
   * QStash queues the rest, so a burst at :00 waits in QStash, not in the app.
   */
  flowControl?: { key: string; parallelism: number };
}

export interface Scheduler {
  /** Creates or replaces the schedule with this id. */
  upsertSchedule(spec: ScheduleSpec): Promise<void>;
  /** Deletes it; a schedule that is already gone is not an error. */
  deleteSchedule(scheduleId: string): Promise<void>;
  /**
   * Every schedule of the account in one call (sync restores missing ones; the watchdog reports
   * them). Optional: a scheduler without it syncs from Redis's view alone.
   */
  listSchedules?(): Promise<{ scheduleId: string; destination: string; cron: string; isPaused?: boolean }[]>;
}

/** Options of one agent run. */
export interface AgentRunInput {
  test: TestDefinition;
  runId: string;
  /** Replaces scheme, host and port of the test URL (preview deployments); allowed hosts follow. */
  baseUrl?: string;
  /** Secret values by name, for `type_secret`. Never given to the model. */
  secrets?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Milliseconds this attempt may take, counted from the call (browser start included). The agent
   * keeps within it and reports a site that did not answer in time as `failed`; `signal` is the
   * runner's backstop, aborted a little later. Absent: the test's `timeout`.
   */
  timeLimitMs?: number;
  onEvent?: (event: RunEvent) => void;
  /** `false` skips the replay script and runs the agent (`housecat run --no-replay`); default true. */
  replay?: boolean;
}

/**
 * Runs one test and returns a result. Never throws for a failing site: that is a result.
 *
 * An agent only drives a browser or calls an API. Which parts of a test run, in what order, and how
 * the deadline is shared between them is the run's policy (runTestParts in app/run-tests.ts).
 */
export interface Agent {
  /** Runs the backend the test names (`test.agent`): its AI goal, or its checks for `checks`. */
  run(input: AgentRunInput): Promise<RunResult>;
  /**
   * Runs only the test's deterministic `expect` checks (no model, no key). Absent: `run` does every
   * part the test asks for itself (a stand-in agent in tests).
   */
  checks?(input: AgentRunInput): Promise<RunResult>;
  /**
   * Starts what every run shares (the browser) before any test's clock starts, so a slow start-up
   * of the harness does not eat a test's `timeout`. Never throws: a failure shows in the runs.
   */
  prepare?(tests: TestDefinition[]): Promise<void>;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A repository's `status_page` settings as sync stores them (`repo:{owner/name}:status`). */
export interface StatusPageSettings {
  /** Opt-in: without it the page, badges and read API answer 404 / "unknown". */
  public: boolean;
  title?: string;
  /** Show each test's goal and last reason on the public page. */
  showGoals: boolean;
}

/** What the status page, badges and read API show of one test, read in one pipeline with its peers. */
export interface TestStatusData {
  test: StoredTest;
  /** The newest results, newest first. */
  recent: StoredResult[];
  /**
   * Hourly rollups by hour since the epoch; hours without runs are absent. A repository read
   * (`readRepoStatus`) gives the last 7 days hour by hour and the window's older hours summed into
   * its first hour, which only the 30-day figures cover: the page needs no more, and the sum is made
   * inside Redis.
   */
  hours: Map<number, HourCounts>;
  /** The test's incident record: the open one, or the last resolved one. */
  incident: Incident | null;
}

/** A resolved incident as the repository's incident history keeps it (`incidents:history:{owner/name}`). */
export interface PastIncident {
  testId: string;
  /** Epoch ms of the first failed run of the streak. */
  since: number;
  resolvedAt: number;
  issueNumber?: number;
  kind?: 'missed';
  /** The record's last reason (clipped as stored); shown publicly only with `show_goals`. */
  lastReason: string;
}

/** A repository's page head: one Redis command, enough to answer 304 without reading its tests. */
export interface RepoStatusHead {
  settings: StatusPageSettings | null;
  /** Sorted; empty when the repository is not public (and the read was not `includePrivate`). */
  ids: string[];
  /** Resolved incidents since `historyFrom`, newest first. */
  history: PastIncident[];
  /** Changes with every run, sync and incident change of the repository's tests; '' when not read. */
  version: string;
}

/** What a badge shows of one test, read in one command. */
export interface TestBadgeData {
  /** The status of the newest passed or failed run among the newest `recent`; null without one. */
  lastConclusive: 'passed' | 'failed' | null;
  /** The incident record's status; null without a record. */
  incident: Incident['status'] | null;
  /** The window's rollups summed; null when no window was asked for. */
  window: HourCounts | null;
}

/** What a repository's status read covers: the recent runs, the hours, and the incident history. */
export interface RepoStatusOptions {
  recent: number;
  fromHour: number;
  toHour: number;
  includePrivate?: boolean;
  historyFrom?: number;
}

/** A repository's status: its settings and, when readable, its tests and incident history. */
export interface RepoStatus {
  settings: StatusPageSettings | null;
  tests: TestStatusData[];
  history: PastIncident[];
}

/** Read side of status pages (and the dashboard): settings, tests and rollups, never a raw results scan. */
export interface StatusReader {
  /** The page's head in 1 command (settings, test ids, history and a version). */
  readRepoHead(
    repo: string,
    options: { historyFrom: number; includePrivate?: boolean },
  ): Promise<RepoStatusHead>;
  /** The tests `ids` of `repo` (from its head), in 1 command per 10 tests; missing ones are left out. */
  readRepoTests(
    repo: string,
    ids: readonly string[],
    options: { recent: number; fromHour: number; toHour: number },
  ): Promise<TestStatusData[]>;
  /**
   * A badge's data in 1 command; `public` false and `test` null when the repository is not public
   * (unless `includePrivate`, which only `housecat up`'s local operator asks for).
   */
  readTestBadge(
    repo: string,
    slug: string,
    options: { recent: number; window?: { fromHour: number; toHour: number }; includePrivate?: boolean },
  ): Promise<{ public: boolean; test: TestBadgeData | null }>;
  /**
   * The repository's settings and, only when it is public (or `includePrivate`), its tests and its
   * incident history since `historyFrom` (epoch ms, newest first): its head, then its tests (1 +
   * 1 per 10 tests commands, in 2 round trips).
   */
  readRepoStatus(repo: string, options: RepoStatusOptions): Promise<RepoStatus>;
  /** One test of a repository with its settings, in 1 round trip; `test` null when it does not exist. */
  readTestStatus(
    repo: string,
    slug: string,
    options: { recent: number; fromHour: number; toHour: number },
  ): Promise<{ settings: StatusPageSettings | null; test: TestStatusData | null }>;
}

/** Writes of sync and `housecat rollup rebuild` that the Store port does not cover. */
export interface StatusWriter {
  /** The stored `status_page` settings of a repository, or null (1 round trip). */
  readStatusSettings(repo: string): Promise<StatusPageSettings | null>;
  /**
   * `Store.listRepoTests` plus the stored settings in the same 2 round trips, so a sync that checks
   * the settings costs no extra request.
   */
  listRepoTestsWithSettings(
    repo: string,
  ): Promise<{ tests: StoredTest[]; settings: StatusPageSettings | null }>;
  /** Stores (or with `null`, removes) a repository's `status_page` settings. */
  saveStatusSettings(repo: string, settings: StatusPageSettings | null): Promise<void>;
  /** Recomputes `stats:{id}:h` from `results:{id}`; returns the hours written. */
  rebuildRollups(testId: string): Promise<number>;
}

/*
 * The store side of a scheduled delivery in two round trips (issue 25: a run costs a handful of
 * Redis commands, not 57): one that claims the delivery and reads what the run needs, one that
 * records everything the run leaves and lets the claim go. The Redis adapter does each as one Lua
 * script (src/adapters/store/delivery-scripts.ts); the use case is src/app/handle-delivery.ts.
 */

export interface ClaimDeliveryInput {
  testId: string;
  /** The signed token's `jti`: claimed once, for `tokenTtlMs`. */
  jti: string;
  /** `Upstash-Message-Id`; without it the token stands for the message. */
  messageId?: string;
  /** This attempt's own owner token (a resend of the same claim is "mine", not "taken"). */
  owner: string;
  /** Epoch ms this attempt arrived: the message's first arrival unless an earlier attempt noted one. */
  arrivedAt: number;
  tokenTtlMs: number;
  /** How long a message's state (and its first arrival) is remembered. */
  messageTtlMs: number;
  /** The lease of the message and of the test's run lock is the test's timeout, within these. */
  minLeaseMs: number;
  maxLeaseMs: number;
  /** Newest results to read for the incident decision. */
  historyLimit: number;
}

/** What the claim found. Every kind but `token-used` carries the message's first arrival. */
export type DeliveryClaim =
  /** The token was used before: a replay, refused. */
  | { kind: 'token-used' }
  /** No such test (removed from housecat.yml?). */
  | { kind: 'missing'; firstArrivedAt: number }
  /** The message's result is recorded (`done`), or another copy holds it (`running`). */
  | { kind: 'done'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  | { kind: 'running'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  /** Another run of the test holds its lock; nothing was claimed. */
  | { kind: 'busy'; firstArrivedAt: number; test: StoredTest; leaseMs: number }
  /** The message and the test's lock are this attempt's, for `leaseMs`. */
  | {
      kind: 'claimed';
      firstArrivedAt: number;
      test: StoredTest;
      leaseMs: number;
      /** The incident record as read, and a fingerprint of it for the record step's check. */
      incident: Incident | null;
      incidentVersion: string;
      /** Newest results before this run, newest first (at most `historyLimit`). */
      history: StoredResult[];
      /** GitHub work already waiting for this test (empty: costs nothing to know). */
      pending: OutboxItem[];
    };

/** The incident part of a record: nothing, a record to save, or a close. */
export type IncidentWrite =
  | { kind: 'none' }
  | { kind: 'save'; incident: Incident }
  | { kind: 'close'; testId: string; resolvedAt: number };

export interface RecordDeliveryInput {
  result: RunResult;
  /** Events not yet written live. */
  events: RunEvent[];
  /** The owner token of the claim: its run lock is released, the message settled. */
  owner: string;
  messageId?: string;
  jti: string;
  /** The message's final state (`done`) and how long it is kept. */
  settle: Pick<ClaimSettle, 'value' | 'ttlMs'>;
  /**
   * The incident decision and the outbox work it implies, written only when the incident record is
   * still `incidentVersion` and no other evaluation holds the test's incident lock.
   */
  incident?: { version: string; write: IncidentWrite; work: OutboxItem[] };
}

export interface RecordDeliveryOutcome {
  /** `applied`: the decision was written; `stale`: the record changed since the claim, so it was not. */
  incident: 'applied' | 'stale' | 'none';
  /** Tests with GitHub work waiting in the outbox (0: no drain needed). */
  outboxTests: number;
}

/** A scheduled delivery's store operations (implemented by RedisStore). */
export interface DeliveryStore {
  claimDelivery(input: ClaimDeliveryInput): Promise<DeliveryClaim>;
  /**
   * Records the run (result, timing, rollups, lateness, events), the incident decision and its
   * outbox work, settles the message and releases the run lock: one atomic step. A resend of the
   * same record (a client retry) changes nothing.
   */
  recordDelivery(input: RecordDeliveryInput): Promise<RecordDeliveryOutcome>;
  /** Renews the message's lease and the run lock together; false when either is no longer held. */
  renewDelivery(input: {
    testId: string;
    owner: string;
    messageId?: string;
    jti: string;
    leaseMs: number;
  }): Promise<boolean>;
  /** Lets the message and the run lock go (the run failed before anything was recorded). */
  releaseDelivery(input: { testId: string; owner: string; messageId?: string; jti: string }): Promise<void>;
}
