/**
 * The `Scheduler` port over `@upstash/qstash`. Each test's schedule has a deterministic id, so
 * `upsertSchedule` is a create-or-replace and a repeated sync never makes duplicates.
 *
 * Traps of the @upstash/qstash client: it uses `baseUrl` and `token` only when both are given, so both
 * are always passed; `devMode: false` so a stray QSTASH_DEV never makes it download a binary.
 */
import { Client } from '@upstash/qstash';
import type { Scheduler, ScheduleSpec } from '../../core/ports.js';
import type { ScheduleLister } from '../../core/scheduling/ports.js';
import { qstashServiceError, qstashStatus } from './errors.js';

/** QStash's public endpoint. */
export const DEFAULT_QSTASH_URL = 'https://qstash.upstash.io';

export interface QStashSchedulerOptions {
  token: string;
  /** Default https://qstash.upstash.io; self-hosted QStash or a local stand-in otherwise. */
  baseUrl?: string;
  /** Where the token came from, named in error messages (e.g. `input "qstash-token"`). */
  tokenSource?: string;
  /** Where the URL came from, named in error messages. */
  urlSource?: string;
}

/** Builds the Scheduler. Never reads the environment: the caller passes token and URL. */
export function createQStashScheduler(options: QStashSchedulerOptions): Scheduler & ScheduleLister {
  const baseUrl = (options.baseUrl ?? DEFAULT_QSTASH_URL).replace(/\/+$/, '');
  const client = new Client({
    baseUrl,
    token: options.token,
    devMode: false,
    enableTelemetry: false,
    // Network errors only; the SDK never retries an HTTP error status.
    retry: { retries: 2, backoff: (attempt) => 100 * 2 ** attempt },
  });

  const fail = (operation: string, error: unknown): never => {
    throw qstashServiceError(operation, error, baseUrl, options);
  };

  return {
    async upsertSchedule(spec: ScheduleSpec): Promise<void> {
      try {
        const { scheduleId } = await client.schedules.create({
          scheduleId: spec.scheduleId,
          destination: spec.destination,
          cron: spec.cron,
          // QStash's Upstash-Delay: each scheduled message is delivered this many seconds after its
          // tick (the test's second of the minute, from H).
          ...(spec.delaySeconds ? { delay: spec.delaySeconds } : {}),
          retries: spec.retries,
          method: 'POST',
          // Nothing secret: the bot knows the test from the URL and QStash signs every delivery.
          body: '',
          headers: { 'Content-Type': 'text/plain' },
          ...(spec.flowControl
            ? { flowControl: { key: spec.flowControl.key, parallelism: spec.flowControl.parallelism } }
            : {}),
        });
        if (scheduleId !== spec.scheduleId) {
          throw new Error(`QStash answered with schedule id "${scheduleId}" instead of "${spec.scheduleId}"`);
        }
      } catch (error) {
        fail(`create schedule ${spec.scheduleId}`, error);
      }
    },

    async listSchedules() {
      try {
        const schedules = await client.schedules.list();
        return schedules.map((s) => ({
          scheduleId: s.scheduleId,
          destination: s.destination,
          cron: s.cron,
          isPaused: s.isPaused === true,
        }));
      } catch (error) {
        return fail('list schedules', error);
      }
    },

    async deleteSchedule(scheduleId: string): Promise<void> {
      try {
        await client.schedules.delete(scheduleId);
      } catch (error) {
        if (qstashStatus(error) === 404) return; // already gone: the goal is reached
        fail(`delete schedule ${scheduleId}`, error);
      }
    },
  };
}
