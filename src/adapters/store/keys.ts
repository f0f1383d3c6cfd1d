/**
 * Every Redis key HouseCat writes, in one place. Dashboards and other tools read these names, so
 * they are a public contract (docs/data-model.md): change them only with a migration.
 */

import type { ClaimNames } from '../../core/ports.js';

/** How long resolved incidents stay in `incidents:history:{owner/name}`. */
export const INCIDENT_HISTORY_DAYS = 90;

/** Key names under an optional prefix (`HOUSECAT_REDIS_PREFIX`), so one database can host several environments. */
export interface KeySpace {
  readonly prefix: string;
  /** Hash: one test definition plus sync bookkeeping. */
  test(id: string): string;
  /** Set: every test id. */
  allTests(): string;
  /** Set: the test ids of one repository (`owner/name`), used by sync and `listRepoTests`. */
  repoTests(repo: string): string;
  /** Sorted set: one member per run (JSON carrying the run id), score = run start, epoch ms. */
  results(id: string): string;
  /** Sorted set: member `runId:ms`, score = run start, epoch ms. */
  timing(id: string): string;
  /** Stream: step events of runs, capped with `XADD MAXLEN ~`. */
  events(id: string): string;
  /** List: test ids with an active (open or acknowledged) incident. */
  incidents(): string;
  /** Hash: the incident record of one test. */
  incident(id: string): string;
  /**
   * Sorted set: a repository's resolved incidents (JSON members built by the close script), score =
   * resolved at, epoch ms; trimmed to {@link INCIDENT_HISTORY_DAYS} days on every close.
   */
  incidentHistory(repo: string): string;
  /** String: a claim (`SET NX PX`), value = owner token. */
  claim(key: string): string;
  /**
   * Sorted set: queues with pending work, score = when the queue is due (epoch ms): test ids (their
   * GitHub work) and `notify:{channel}` (a channel's alerts).
   */
  outbox(): string;
  /** List: the pending GitHub work of one test (JSON items), oldest first. */
  outboxQueue(id: string): string;
  /** String (sealed JSON): a dashboard session, under the SHA-256 of its cookie id, with a TTL. */
  session(idHash: string): string;
  /** String (sealed JSON): the repositories a session's person may see, cached for a few minutes. */
  access(idHash: string): string;
  /** String (JSON): the newest failure screenshot of a test (PNG, base64, capped), with the retention TTL. */
  shot(id: string): string;
  /** Hash: hourly rollups of a test, field = hours since the epoch, value = packed counts (core/status/rollup.ts). */
  stats(id: string): string;
  /** Hash: a repository's `status_page` settings, written by sync. */
  repoStatus(repo: string): string;
  /** Hash: the replay script of the test's last passing agent run (issue 14). */
  replay(id: string): string;
  /** String (JSON): one run's record for the run page, with a TTL (issue 29, core/run/run-record.ts). */
  run(id: string, runId: string): string;
  /** Sorted set: the run ids of a test with a record, score = run start; capped. */
  runs(id: string): string;
  /** Hash: one run's files (`shot:N` JPEGs, `trace` zip; base64), with a TTL. */
  runFiles(id: string, runId: string): string;
  /** Sorted set: a test's runs with files, member `runId|bytes`, score = run start. */
  runFilesIndex(id: string): string;
  /** Sorted set: a repository's runs with files, member `testId|runId|bytes`, score = run start. */
  repoRunFiles(repo: string): string;
}

/**
 * The claim names (under `claim:`) of a scheduled delivery and of the locks around a test, built
 * here only: the use cases name what they claim, never the key.
 */
export const claimNames: ClaimNames & { message(messageId: string | undefined, jti: string): string } = {
  /** A QStash token, claimed once (replays refused). */
  token: (jti: string) => `qstash:jti:${jti}`,
  /** A QStash message's state: the owner token while it runs, `done` once recorded. */
  message: (messageId: string | undefined, jti: string) => `qstash:msg:${messageId ?? `jti:${jti}`}`,
  /** When a QStash message first arrived (epoch ms), so its retries keep its tick. */
  arrival: (messageId: string | undefined, jti: string) => `qstash:arrived:${messageId ?? `jti:${jti}`}`,
  /** One run of a test at a time. */
  runLock: (testId: string) => `lock:test:${testId}`,
  /** One incident decision of a test at a time. */
  incidentLock: (testId: string) => `lock:incident:${testId}`,
  /** One drainer of a test's outbox queue at a time. */
  outbox: (testId: string) => `outbox:${testId}`,
  /** One watchdog pass at a time, across replicas. */
  watchdog: () => 'lock:watchdog',
};

/** Builds the key space; `prefix` is used as given (`staging:` gives `staging:test:{id}`). */
export function keySpace(prefix = ''): KeySpace {
  return {
    prefix,
    test: (id) => `${prefix}test:${id}`,
    allTests: () => `${prefix}tests:all`,
    // GitHub repository names are case-insensitive, like the test ids derived from them.
    repoTests: (repo) => `${prefix}tests:repo:${repo.toLowerCase()}`,
    results: (id) => `${prefix}results:${id}`,
    timing: (id) => `${prefix}timing:${id}`,
    events: (id) => `${prefix}events:${id}`,
    incidents: () => `${prefix}incidents`,
    incident: (id) => `${prefix}incident:${id}`,
    // Lower-cased like repoTests; the close script builds the same name from the record's repo field.
    incidentHistory: (repo) => `${prefix}incidents:history:${repo.toLowerCase()}`,
    claim: (key) => `${prefix}claim:${key}`,
    outbox: () => `${prefix}outbox`,
    outboxQueue: (id) => `${prefix}outbox:${id}`,
    session: (idHash) => `${prefix}session:${idHash}`,
    access: (idHash) => `${prefix}access:${idHash}`,
    shot: (id) => `${prefix}shot:${id}`,
    stats: (id) => `${prefix}stats:${id}:h`,
    repoStatus: (repo) => `${prefix}repo:${repo.toLowerCase()}:status`,
    replay: (id) => `${prefix}replay:${id}`,
    run: (id, runId) => `${prefix}run:${id}:${runId}`,
    runs: (id) => `${prefix}runs:${id}`,
    runFiles: (id, runId) => `${prefix}runfiles:${id}:${runId}`,
    runFilesIndex: (id) => `${prefix}runfiles:${id}`,
    repoRunFiles: (repo) => `${prefix}runfiles:repo:${repo.toLowerCase()}`,
  };
}
