/**
 * How one hour of rollups (core/status/rollup.ts's HourCounts) is stored: a packed `stats:{id}:h`
 * hash field. The record and rollup scripts (rollup-commands.ts) write the same format in Lua, so the
 * two must change together; nothing outside the store adapter knows the format.
 */
import { emptyHour, type HourCounts, STATUS_ORDER } from '../../core/status/rollup.js';

/**
 * The packed field value: `passed,failed,error,skipped` then, when any run gave a response time,
 * `|bucket:count,…` for the non-empty buckets (e.g. `11,1,0,0|2:9,4:3`), then, when any scheduled
 * run recorded a lateness, a third section `|bucket:count,…` of lateness buckets (e.g.
 * `11,1,0,0|2:9,4:3|1:12` or `0,0,0,1||0:1`). Small, and readable with redis-cli; hours written
 * before lateness was kept have no third section and read the same.
 */
export function packHour(hour: HourCounts): string {
  const head = STATUS_ORDER.map((s) => String(hour[s])).join(',');
  const section = (counts: readonly number[]) =>
    counts.flatMap((count, index) => (count > 0 ? [`${index}:${count}`] : [])).join(',');
  const response = section(hour.histogram);
  const lateness = section(hour.lateness);
  if (lateness !== '') return `${head}|${response}|${lateness}`;
  return response !== '' ? `${head}|${response}` : head;
}

/**
 * Reads a packed field; `null` for a value HouseCat did not write. A hand-rolled scanner: a page of
 * 100 tests decodes 72,000 of these, and split/map parsing took most of the page's time.
 */
export function unpackHour(packed: string): HourCounts | null {
  const hour = emptyHour();
  const counts = [0, 0, 0, 0];
  let count = 0;
  let value = -1;
  let bucket = -1;
  // 0: the status counts; 1: response-time buckets; 2: lateness buckets.
  let section = 0;
  let target = hour.histogram;
  // Just after a '|': the response section may be empty when only lateness follows (`0,0,0,1||0:1`).
  let sectionStart = false;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : 44; // the end closes the last number like a ','
    if (c >= 48 && c <= 57) {
      value = (value < 0 ? 0 : value * 10) + (c - 48);
      continue;
    }
    if (c === 124 && section === 1 && sectionStart && value < 0) {
      section = 2;
      target = hour.lateness;
      continue;
    }
    sectionStart = false;
    if (value < 0) return null;
    if (section === 0) {
      if (c !== 44 && c !== 124) return null;
      if (count >= counts.length) return null;
      counts[count++] = value;
      if (c === 124) {
        if (count !== counts.length) return null;
        section = 1;
        sectionStart = true;
      }
    } else if (c === 58 && bucket < 0) {
      bucket = value;
    } else if ((c === 44 || (c === 124 && section === 1)) && bucket >= 0) {
      if (bucket >= target.length) return null;
      target[bucket] = value;
      bucket = -1;
      if (c === 124) {
        section = 2;
        target = hour.lateness;
        sectionStart = true;
      }
    } else return null;
    value = -1;
  }
  if (count !== counts.length) return null;
  STATUS_ORDER.forEach((status, i) => {
    hour[status] = counts[i] ?? 0;
  });
  return hour;
}
