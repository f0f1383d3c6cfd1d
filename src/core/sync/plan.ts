/**
 * Sync planning, pure: what the definitions file wants (desired) against what Redis holds for the
 * repository (current) → one item per test, created, updated, unchanged or removed, with the
 * reasons a person reads in the plan table, and the exact writes that make production match.
 */
import type { ScheduleSpec, StoredTest } from '../ports.js';
import type { TestDefinition } from '../types.js';
import { describeChanges } from './changes.js';
import { contentHash } from './hash.js';

export type SyncAction = 'create' | 'update' | 'unchanged' | 'remove';

/** One line of the plan. Plain data: it is the Action's `plan` output. */
export interface PlanItem {
  action: SyncAction;
  testId: string;
  name: string;
  /** The cron the test will have after the sync (none: no QStash schedule). */
  schedule?: string;
  /** The cron it has now, when that differs. */
  previousSchedule?: string;
  /** What happens to its QStash schedule. */
  scheduleChange: 'upsert' | 'delete' | 'none';
  /** Why, in words: "new test", "schedule changed (…)", "goal changed", "no longer in the file". */
  reasons: string[];
}

export interface PlanCounts {
  create: number;
  update: number;
  unchanged: number;
  remove: number;
}

export interface SyncPlan {
  repo: string;
  items: PlanItem[];
  counts: PlanCounts;
}

/** The writes a plan needs: QStash first, then one Redis transaction. */
export interface SyncWrites {
  scheduleUpserts: ScheduleSpec[];
  scheduleDeletes: string[];
  upsert: StoredTest[];
  remove: string[];
}

export interface PlanOptions {
  /** Base URL of the HouseCat app; schedules POST to `{callbackUrl}/api/callback/{testId}`. */
  callbackUrl?: string;
  /** QStash delivery retries of every schedule (explicit, never QStash's default). */
  scheduleRetries: number;
  /** Epoch ms stamped on written tests. */
  now: number;
  /** Shown in the reason of removed tests. */
  file?: string;
  /**
   * QStash flow-control parallelism of the app's schedules (HOUSECAT_MAX_PARALLEL_RUNS of the app
   * times its replicas). Unset: schedules carry no flow control.
   */
  parallelism?: number;
  /**
   * The schedules QStash has now (by id), when the scheduler could list them: a schedule deleted
   * or edited outside HouseCat is then restored even though Redis says nothing changed.
   */
  liveSchedules?: ReadonlyMap<string, { destination: string; cron: string }>;
}

/** Default QStash delivery retries for a schedule's callback. */
export const SCHEDULE_RETRIES = 3;

/** The QStash schedule id of a test: deterministic, so creating a schedule is an upsert. */
export function scheduleIdFor(testId: string): string {
  return `housecat-${testId}`;
}

/**
 * Runs at once QStash lets through to one app when HOUSECAT_MAX_PARALLEL_RUNS is not given to
 * sync: what the smallest sensible app instance (2 cores, 1 GiB) runs, min(2 cores × 1, 1 GiB / 250 MiB).
 */
export const DEFAULT_FLOW_PARALLELISM = 2;

/** The flow-control key of every schedule calling the app at `callbackUrl`: one per app. */
export function flowControlKey(callbackUrl: string): string {
  let host = callbackUrl;
  try {
    const url = new URL(callbackUrl);
    host = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    // syncTests has refused a bad URL before planning; keep the raw text for a pure caller.
  }
  return `housecat-${host.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

/** Where a test's schedule POSTs: `{callbackUrl}/api/callback/{testId}`. */
export function callbackDestination(callbackUrl: string, testId: string): string {
  return `${callbackUrl.replace(/\/+$/, '')}/api/callback/${encodeURIComponent(testId)}`;
}

function specFor(test: TestDefinition, options: PlanOptions): ScheduleSpec | null {
  if (test.schedule === undefined) return null;
  if (options.callbackUrl === undefined) {
    // syncTests checks this first and reports it as a ConfigError naming callback-url.
    throw new Error(`test ${test.id} has a schedule but no callback URL was given`);
  }
  return {
    scheduleId: scheduleIdFor(test.id),
    destination: callbackDestination(options.callbackUrl, test.id),
    cron: test.schedule,
    ...(test.scheduleSecond ? { delaySeconds: test.scheduleSecond } : {}),
    retries: options.scheduleRetries,
    ...(options.parallelism !== undefined
      ? { flowControl: { key: flowControlKey(options.callbackUrl), parallelism: options.parallelism } }
      : {}),
  };
}

/** Why QStash's copy of a schedule differs from the one planned, or null. */
function liveDrift(spec: ScheduleSpec, options: PlanOptions): string | null {
  if (!options.liveSchedules) return null;
  const live = options.liveSchedules.get(spec.scheduleId);
  if (!live) return 'QStash schedule missing (deleted outside HouseCat)';
  if (live.destination !== spec.destination || live.cron !== spec.cron) {
    return 'QStash schedule changed outside HouseCat';
  }
  return null;
}

/**
 * Compares desired with current. Pure: the same inputs always give the same plan and writes.
 * Items come in file order, removals last (sorted by id).
 */
export function planSync(
  repo: string,
  desired: readonly TestDefinition[],
  current: readonly StoredTest[],
  options: PlanOptions,
): { plan: SyncPlan; writes: SyncWrites } {
  const currentById = new Map(current.map((stored) => [stored.definition.id, stored]));
  const desiredIds = new Set(desired.map((test) => test.id));
  const writes: SyncWrites = { scheduleUpserts: [], scheduleDeletes: [], upsert: [], remove: [] };
  const items = desired.map((test) => planTest(test, currentById.get(test.id), options, writes));
  const removed = current
    .filter((stored) => !desiredIds.has(stored.definition.id))
    .sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  for (const stored of removed) items.push(planRemoval(stored, options, writes));

  const counts: PlanCounts = { create: 0, update: 0, unchanged: 0, remove: 0 };
  for (const item of items) counts[item.action] += 1;
  return { plan: { repo, items, counts }, writes };
}

/** One test of the file against its stored copy (if any): its plan line; its writes go to `writes`. */
function planTest(
  test: TestDefinition,
  before: StoredTest | undefined,
  options: PlanOptions,
  writes: SyncWrites,
): PlanItem {
  const spec = specFor(test, options);
  const hash = contentHash(test, spec);
  const stored: StoredTest = {
    definition: test,
    contentHash: hash,
    updatedAt: options.now,
    ...(spec ? { scheduleId: spec.scheduleId } : {}),
  };
  const base = { testId: test.id, name: test.name, ...(test.schedule ? { schedule: test.schedule } : {}) };

  if (before === undefined) {
    if (spec) writes.scheduleUpserts.push(spec);
    writes.upsert.push(stored);
    return { ...base, action: 'create', scheduleChange: spec ? 'upsert' : 'none', reasons: ['new test'] };
  }

  const drift = spec ? liveDrift(spec, options) : null;
  if (before.contentHash === hash && before.scheduleId === spec?.scheduleId && drift === null) {
    return { ...base, action: 'unchanged', scheduleChange: 'none', reasons: [] };
  }

  const { reasons, scheduleChange } = updateOf(before, test, spec, drift, options);
  if (scheduleChange === 'upsert' && spec) writes.scheduleUpserts.push(spec);
  if (scheduleChange === 'delete' && before.scheduleId) writes.scheduleDeletes.push(before.scheduleId);
  writes.upsert.push(stored);
  return {
    ...base,
    action: 'update',
    ...(before.definition.schedule !== test.schedule && before.definition.schedule !== undefined
      ? { previousSchedule: before.definition.schedule }
      : {}),
    scheduleChange,
    reasons,
  };
}

/**
 * Why a stored test is updated, and what happens to its QStash schedule: the definition's own
 * changes, then what changed around it (callback URL, retries, a schedule QStash lost or that was
 * edited outside HouseCat, a schedule left behind).
 */
function updateOf(
  before: StoredTest,
  test: TestDefinition,
  spec: ScheduleSpec | null,
  drift: string | null,
  options: PlanOptions,
): { reasons: string[]; scheduleChange: PlanItem['scheduleChange'] } {
  const reasons = describeChanges(before.definition, test);
  let scheduleChange: PlanItem['scheduleChange'] = 'none';
  if (spec) {
    const scheduleIdMatches = before.scheduleId === spec.scheduleId;
    // Same definition with today's callback URL and retries: does the stored hash still match?
    const sameSpecAsBefore =
      contentHash(before.definition, specFor(before.definition, options)) === before.contentHash;
    const cronChanged = before.definition.schedule !== test.schedule;
    if (!sameSpecAsBefore && !cronChanged)
      reasons.push('callback URL, schedule retries or flow-control parallelism changed');
    if (!scheduleIdMatches && !cronChanged) reasons.push('QStash schedule missing');
    else if (drift !== null && sameSpecAsBefore && !cronChanged) reasons.push(drift);
    if (!sameSpecAsBefore || cronChanged || !scheduleIdMatches || drift !== null) scheduleChange = 'upsert';
  } else if (before.scheduleId !== undefined) {
    scheduleChange = 'delete';
    if (before.definition.schedule === undefined) reasons.push('stale QStash schedule');
  }
  if (reasons.length === 0) reasons.push('stored copy differs');
  return { reasons, scheduleChange };
}

/** A stored test no longer in the file: its plan line; its deletes go to `writes`. */
function planRemoval(stored: StoredTest, options: PlanOptions, writes: SyncWrites): PlanItem {
  const test = stored.definition;
  if (stored.scheduleId) writes.scheduleDeletes.push(stored.scheduleId);
  writes.remove.push(test.id);
  return {
    action: 'remove',
    testId: test.id,
    name: test.name,
    ...(test.schedule ? { previousSchedule: test.schedule } : {}),
    scheduleChange: stored.scheduleId ? 'delete' : 'none',
    reasons: [`no longer in ${options.file ?? 'the definitions file'} (history is kept)`],
  };
}

/** True when applying the plan would write anything. */
export function hasChanges(plan: SyncPlan): boolean {
  return plan.counts.create + plan.counts.update + plan.counts.remove > 0;
}
