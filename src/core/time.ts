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
