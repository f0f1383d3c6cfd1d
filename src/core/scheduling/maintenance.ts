/**
 * Maintenance windows: `maintenance: [{ schedule: "0 2 * * SUN", duration: "90m" }]`. A window
 * opens at each tick of its cron (UTC) and stays open for its duration. Scheduled runs inside one
 * are recorded `skipped` ("maintenance") and move no incident; PR checks and manual runs ignore it.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time.js';
import type { MaintenanceWindow } from '../types.js';
import { previousTick } from './cron-ticks.js';

/** Longest window: a week. Longer is a paused test, which is what removing its schedule is for. */
export const MAX_WINDOW_MS = 7 * DAY_MS;

const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };
const DURATION = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;

/** "90m", "2h", "1h30m", "1d": milliseconds, or a message saying what is wrong. */
export function parseDuration(text: string): number | string {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match || text.trim() === '') {
    return `duration "${text}" is not a duration: write it like "90m", "2h", "1h30m" or "1d"`;
  }
  const [, d, h, m, s] = match;
  const ms =
    Number(d ?? 0) * UNIT_MS.d! +
    Number(h ?? 0) * UNIT_MS.h! +
    Number(m ?? 0) * UNIT_MS.m! +
    Number(s ?? 0) * UNIT_MS.s!;
  if (ms < 60_000) return `duration "${text}" is shorter than a minute: a window needs at least "1m"`;
  if (ms > MAX_WINDOW_MS) {
    return `duration "${text}" is longer than 7 days: remove the test's schedule instead of a longer window`;
  }
  return ms;
}

/** The window open at `at`, with the time it closes, or null when none is. */
export function activeWindow(
  windows: readonly MaintenanceWindow[] | undefined,
  at: number,
): { window: MaintenanceWindow; opened: number; until: number } | null {
  let best: { window: MaintenanceWindow; opened: number; until: number } | null = null;
  for (const window of windows ?? []) {
    const opened = previousTick(window.schedule, at);
    if (opened === null || at >= opened + window.durationMs) continue;
    const until = opened + window.durationMs;
    if (!best || until > best.until) best = { window, opened, until };
  }
  return best;
}
