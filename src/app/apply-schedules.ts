/**
 * The QStash half of a sync: deletes first, then upserts, and on a refusal midway (a full schedule
 * quota answers 412 after some creates went through) the schedules this sync had just created are
 * removed again. Redis is written only after this succeeds, so a failed sync leaves no schedule
 * calling a test that Redis does not know (each firing would be answered 489, spend one of the
 * plan's daily messages, land in the DLQ, and hold a slot of the schedule quota).
 *
 * Deletes finish before any upsert starts: with a full quota, a sync that swaps one test for
 * another must free the slot before it takes one.
 */
import type { Logger, Scheduler, ScheduleSpec } from '../core/ports.js';
import { mapLimit } from './map-limit.js';

export interface ScheduleWrites {
  scheduleUpserts: readonly ScheduleSpec[];
  scheduleDeletes: readonly string[];
}

export interface ApplySchedulesOptions {
  /** Parallel QStash calls. */
  concurrency: number;
  /** Schedule ids QStash (or, when it could not be listed, Redis) had before this sync. */
  existing: ReadonlySet<string>;
  logger?: Logger;
}

/** Applies the schedule writes; returns the QStash calls made. Throws the first failure after undoing creates. */
export async function applySchedules(
  scheduler: Scheduler,
  writes: ScheduleWrites,
  options: ApplySchedulesOptions,
): Promise<number> {
  let calls = 0;
  const attempted: string[] = [];
  try {
    await mapLimit(writes.scheduleDeletes, options.concurrency, async (id) => {
      calls += 1;
      await scheduler.deleteSchedule(id);
    });
    await mapLimit(writes.scheduleUpserts, options.concurrency, async (spec) => {
      calls += 1;
      // Counted before the call: a create may reach QStash even when its answer is lost.
      if (!options.existing.has(spec.scheduleId)) attempted.push(spec.scheduleId);
      await scheduler.upsertSchedule(spec);
    });
  } catch (error) {
    calls += await undoCreates(scheduler, attempted, options);
    throw error;
  }
  return calls;
}

/** Deletes the schedules this sync created (best effort; a 404 counts as done). */
async function undoCreates(
  scheduler: Scheduler,
  created: readonly string[],
  options: ApplySchedulesOptions,
): Promise<number> {
  if (created.length === 0) return 0;
  const left: string[] = [];
  await Promise.all(created.map((id) => scheduler.deleteSchedule(id).catch(() => void left.push(id))));
  const undone = created.length - left.length;
  if (undone > 0) {
    options.logger?.warn(
      `QStash: the sync stopped halfway, so the ${undone} schedule(s) it had just created were deleted again; ` +
        'Redis was not changed. Fix the cause below and run the sync again.',
    );
  }
  if (left.length > 0) {
    options.logger?.warn(
      `QStash: could not delete the new schedule(s) ${left.join(', ')} after the failure below: ` +
        'delete them in the Upstash console (QStash → Schedules) or run the sync again once QStash answers.',
    );
  }
  return created.length;
}
