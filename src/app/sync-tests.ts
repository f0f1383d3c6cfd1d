/**
 * `syncTests`: make production match the definitions file. Plans first, then applies only the
 * differences in an order that converges when a sync dies halfway and is run again:
 *
 * 1. QStash: schedule deletes, then upserts (deterministic ids, so repeating them is harmless);
 *    a refusal midway deletes the schedules this sync had just created (apply-schedules.ts);
 * 2. Redis: one transaction (`store.applySync`) with every upsert and removal.
 *
 * A failure or crash before step 2 leaves Redis as it was, so the next run plans the same writes again.
 */

import { ConfigError } from '../core/errors.js';
import { isRepoName } from '../core/ids.js';
import type {
  Clock,
  Logger,
  Scheduler,
  ScheduleSpec,
  StatusPageSettings,
  StatusWriter,
  Store,
} from '../core/ports.js';
import {
  DEFAULT_WATCHDOG_MINUTES,
  WATCHDOG_SCHEDULE_ID,
  watchdogCron,
  watchdogDestination,
} from '../core/scheduling/watchdog.js';
import {
  DEFAULT_FLOW_PARALLELISM,
  hasChanges,
  planSync,
  SCHEDULE_RETRIES,
  type SyncPlan,
} from '../core/sync/plan.js';
import type { TestDefinition } from '../core/types.js';
import { applySchedules } from './apply-schedules.js';

export { mapLimit } from './map-limit.js';

export interface SyncDeps {
  store: Store;
  /** Needed only when the plan touches a schedule and this is not a dry run. */
  scheduler: Scheduler | null;
  clock: Clock;
  logger?: Logger;
  /** Where the `status_page` settings go; without it sync leaves them alone. */
  statusPages?: StatusWriter;
}

export interface SyncInput {
  repo: string;
  /** Valid definitions (the caller has already refused an invalid file). */
  tests: readonly TestDefinition[];
  /** Base URL of the HouseCat app. Required when any test has a schedule. */
  callbackUrl?: string;
  /** Plan only: read Redis, write nothing anywhere. */
  dryRun?: boolean;
  /** Parallel QStash calls (default 8). */
  concurrency?: number;
  scheduleRetries?: number;
  /**
   * QStash flow-control parallelism for the app (default DEFAULT_FLOW_PARALLELISM): QStash sends
   * the app at most this many callbacks at once. Changing it updates every schedule.
   */
  parallelism?: number;
  /**
   * Minutes between watchdog calls (default DEFAULT_WATCHDOG_MINUTES: 288 QStash messages a day);
   * one of WATCHDOG_MINUTES_CHOICES, checked by the caller's reader. Changing it updates the schedule.
   */
  watchdogMinutes?: number;
  /** The definitions file, for messages. */
  file?: string;
  /** Called with the plan before anything is written (to print it even if applying fails). */
  onPlan?: (plan: SyncPlan) => void;
  /** The file's `status_page` block; absent: the repository has no public status page. */
  statusPage?: StatusPageSettings;
}

export interface SyncOutcome {
  plan: SyncPlan;
  /** True when writes were made (false for dry runs and for plans without changes). */
  applied: boolean;
  /** QStash calls made. */
  scheduleCalls: number;
  /** The stored `status_page` settings differ(ed) from the file's (written unless a dry run). */
  statusPageChanged?: boolean;
  /** The `housecat-watchdog` schedule: upserted by this sync, or already right (or not needed). */
  watchdog: 'upsert' | 'none';
}

/** Checks what planning needs; throws ConfigError before anything is read or written. */
export function checkSyncInput(input: SyncInput): void {
  if (!isRepoName(input.repo)) {
    throw new ConfigError(
      `"${input.repo}" is not a repository name: pass it as owner/name (input "repo", flag --repo).`,
    );
  }
  const ids = new Set<string>();
  for (const test of input.tests) {
    if (test.repo.toLowerCase() !== input.repo.toLowerCase()) {
      throw new ConfigError(
        `test ${test.id} belongs to ${test.repo}, not to ${input.repo}: sync one repository at a time.`,
      );
    }
    if (ids.has(test.id))
      throw new ConfigError(`test id ${test.id} appears twice: give one of them another "id".`);
    ids.add(test.id);
  }
  const scheduled = input.tests.filter((test) => test.schedule !== undefined);
  if (scheduled.length > 0) {
    if (input.callbackUrl === undefined || input.callbackUrl === '') {
      throw new ConfigError(
        `${scheduled.length} test(s) have a schedule (first: ${scheduled[0]?.id}) but no callback URL was given: ` +
          'set the Action input "callback-url" (or --callback-url / HOUSECAT_PUBLIC_URL) to the public base URL of your HouseCat app.',
      );
    }
    let url: URL;
    try {
      url = new URL(input.callbackUrl);
    } catch {
      throw new ConfigError(
        `callback URL "${input.callbackUrl}" is not a URL: use e.g. https://housecat.example.com`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(
        `callback URL "${input.callbackUrl}" must start with https:// (QStash POSTs to it).`,
      );
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new ConfigError(
        `callback URL "${input.callbackUrl}" must not carry a query, fragment or credentials: QStash signs each request, nothing secret belongs in the URL.`,
      );
    }
  }
}

/**
 * What a first sync would do, planned against an empty store: `sync --dry-run` with no Redis
 * configured. Planning is pure, so a plan can be previewed offline.
 */
export function planAgainstEmptyStore(input: SyncInput, now: number): SyncPlan {
  checkSyncInput(input);
  return planSync(input.repo, input.tests, [], {
    ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
    scheduleRetries: input.scheduleRetries ?? SCHEDULE_RETRIES,
    parallelism: input.parallelism ?? DEFAULT_FLOW_PARALLELISM,
    now,
    ...(input.file ? { file: input.file } : {}),
  }).plan;
}

/** Plans and (unless a dry run) applies a sync. Invalid input throws before any read or write. */
export async function syncTests(deps: SyncDeps, input: SyncInput): Promise<SyncOutcome> {
  checkSyncInput(input);
  const scheduled = input.tests.some((t) => t.schedule !== undefined);
  // One QStash call shows schedules deleted or edited behind HouseCat's back, so they are restored
  // (not on a dry run, which stays offline for QStash). With a status-page writer, the stored
  // settings come in the same 2 round trips as the tests.
  const [read, live] = await Promise.all([
    deps.statusPages
      ? deps.statusPages.listRepoTestsWithSettings(input.repo)
      : deps.store.listRepoTests(input.repo).then((tests) => ({ tests, settings: null })),
    scheduled && !input.dryRun && deps.scheduler?.listSchedules
      ? deps.scheduler.listSchedules()
      : Promise.resolve(null),
  ]);
  const current = read.tests;
  const liveSchedules = live ? new Map(live.map((s) => [s.scheduleId, s])) : undefined;
  const { plan, writes } = planSync(input.repo, input.tests, current, {
    ...(liveSchedules ? { liveSchedules } : {}),
    ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
    scheduleRetries: input.scheduleRetries ?? SCHEDULE_RETRIES,
    parallelism: input.parallelism ?? DEFAULT_FLOW_PARALLELISM,
    now: deps.clock.now(),
    ...(input.file ? { file: input.file } : {}),
  });
  input.onPlan?.(plan);
  const watchdog = watchdogSpec(input, scheduled, liveSchedules, writes.scheduleUpserts.length > 0);
  const applying = !input.dryRun && (hasChanges(plan) || watchdog !== null);
  // Checked before the first write: a sync that cannot reach QStash writes nothing at all.
  const scheduleOps = writes.scheduleUpserts.length + writes.scheduleDeletes.length + (watchdog ? 1 : 0);
  if (applying && scheduleOps > 0 && deps.scheduler === null) {
    throw new ConfigError(
      `this sync needs ${scheduleOps} QStash call(s) but no QStash token was given: set the Action input "qstash-token" (or QSTASH_TOKEN). Nothing was written.`,
    );
  }
  const statusPageChanged = await syncStatusPage(deps, input, read.settings);
  const statusFlag = statusPageChanged === undefined ? {} : { statusPageChanged };
  if (!applying) {
    return {
      plan,
      applied: statusPageChanged === true && !input.dryRun,
      scheduleCalls: 0,
      watchdog: 'none',
      ...statusFlag,
    };
  }
  if (watchdog) writes.scheduleUpserts.push(watchdog);
  const scheduler = deps.scheduler;
  let scheduleCalls = 0;
  if (scheduler && scheduleOps > 0) {
    // Unknown live list: Redis's schedule ids, and the watchdog (another repository may use it).
    const existing = new Set(
      liveSchedules
        ? liveSchedules.keys()
        : [WATCHDOG_SCHEDULE_ID, ...current.flatMap((t) => (t.scheduleId ? [t.scheduleId] : []))],
    );
    scheduleCalls = await applySchedules(scheduler, writes, {
      concurrency: input.concurrency ?? 8,
      existing,
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
    deps.logger?.info(
      `QStash: ${writes.scheduleUpserts.length} schedule(s) upserted, ${writes.scheduleDeletes.length} deleted.`,
    );
  }
  if (watchdog) deps.logger?.info(`QStash: watchdog schedule ${WATCHDOG_SCHEDULE_ID} upserted.`);
  if (writes.upsert.length + writes.remove.length > 0) {
    await deps.store.applySync(input.repo, { upsert: writes.upsert, remove: writes.remove });
  }
  deps.logger?.info(`Redis: ${writes.upsert.length} test(s) written, ${writes.remove.length} removed.`);
  return { plan, applied: true, scheduleCalls, watchdog: watchdog ? 'upsert' : 'none', ...statusFlag };
}

function describeStatusPage(settings: StatusPageSettings | null): string {
  if (!settings) return 'not set (private)';
  if (!settings.public) return 'private';
  return `public${settings.showGoals ? ' with goals' : ''}${settings.title ? ` ("${settings.title}")` : ''}`;
}

/**
 * Brings the stored `status_page` settings in line with the file (idempotent: nothing is written when
 * they match). Written before the tests, so a page can only turn public once its settings are stored.
 */
async function syncStatusPage(
  deps: SyncDeps,
  input: SyncInput,
  current: StatusPageSettings | null,
): Promise<boolean | undefined> {
  if (!deps.statusPages) return undefined;
  const desired = input.statusPage ?? null;
  const norm = (s: StatusPageSettings | null) =>
    s ? JSON.stringify([s.public, s.showGoals, s.title ?? null]) : JSON.stringify(null);
  if (norm(current) === norm(desired)) return false;
  const change = `status page: ${describeStatusPage(current)} → ${describeStatusPage(desired)}`;
  if (input.dryRun) {
    deps.logger?.info(`Would change the ${change}.`);
    return true;
  }
  await deps.statusPages.saveStatusSettings(input.repo, desired);
  deps.logger?.info(`Redis: ${change}.`);
  return true;
}

/**
 * The `housecat-watchdog` schedule (one per app: every repository's sync upserts the same id, so
 * there is never a second one), when it needs writing: QStash lacks it or has it wrong, or, when
 * QStash's list is unknown, whenever other schedules are written anyway.
 */
function watchdogSpec(
  input: SyncInput,
  scheduled: boolean,
  live: ReadonlyMap<string, { destination: string; cron: string }> | undefined,
  writingSchedules: boolean,
): ScheduleSpec | null {
  if (!scheduled || !input.callbackUrl) return null;
  const spec: ScheduleSpec = {
    scheduleId: WATCHDOG_SCHEDULE_ID,
    destination: watchdogDestination(input.callbackUrl),
    cron: watchdogCron(input.watchdogMinutes ?? DEFAULT_WATCHDOG_MINUTES),
    // The next call comes in 5 minutes anyway.
    retries: 1,
  };
  if (live === undefined) return writingSchedules ? spec : null;
  const now = live.get(WATCHDOG_SCHEDULE_ID);
  return now && now.destination === spec.destination && now.cron === spec.cron ? null : spec;
}
