/**
 * Lengths of time in milliseconds, declared once: rollup hours, retention days, throttle windows
 * and schedule searches all count in the same units.
 */

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 60 * MINUTE_MS;
/** One day in milliseconds (UTC days: no daylight-saving shifts). */
export const DAY_MS = 24 * HOUR_MS;

/** `2026-05-01 12:00 UTC`: a moment to the minute, as issues, pages and the watchdog show it. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * `45 s`, `2 h 5 min`, `3 d 4 h`: a span of time (milliseconds, read to the second) such as an
 * incident's downtime. A run's own duration reads finer: formatRunDuration in core/report/format.ts.
 */
export function formatTimeSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
