/**
 * When a 5-field cron (UTC, as QStash runs it) fires: the tick a delivery belongs to, the gap a
 * test's schedule leaves between runs, and the ticks a watchdog expects. Pure; expressions are
 * assumed valid (`cronProblem` in config/cron.ts checked them when the file was read).
 */
import { DAY_MS as DAY, MINUTE_MS as MINUTE } from '../time.js';

/** How far back or ahead a tick is searched: a little more than a leap year (Feb 29 crons). */
const SEARCH_DAYS = 5 * 366;

const NAMES: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
  SUN: 0,
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
};

/** A cron expression compiled to the values each field allows. */
export interface CronMatcher {
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  /** Day of month and day of week both restricted: either one matching is enough (classic cron). */
  dayEither: boolean;
}

function field(text: string, min: number, max: number): boolean[] {
  const allowed = new Array<boolean>(max + 1).fill(false);
  const value = (raw: string) => NAMES[raw.toUpperCase()] ?? Number(raw);
  for (const part of text.split(',')) {
    const [range = '*', stepRaw] = part.split('/');
    const step = stepRaw === undefined ? 1 : Math.max(1, Number(stepRaw));
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = value(a);
      hi = b !== undefined ? value(b) : stepRaw !== undefined ? max : lo;
    }
    for (let v = lo; v <= hi; v += step) if (v >= 0 && v <= max) allowed[v] = true;
  }
  return allowed;
}

const cache = new Map<string, CronMatcher>();

/** Compiles (and remembers) a cron expression. */
export function compileCron(expression: string): CronMatcher {
  const known = cache.get(expression);
  if (known) return known;
  const [m = '*', h = '*', dom = '*', mon = '*', dow = '*'] = expression.trim().split(/\s+/);
  const weekdays = field(dow, 0, 7);
  if (weekdays[7]) weekdays[0] = true; // 7 is Sunday too
  const matcher: CronMatcher = {
    minutes: field(m, 0, 59),
    hours: field(h, 0, 23),
    days: field(dom, 1, 31),
    months: field(mon, 1, 12),
    weekdays,
    dayEither: !dom.startsWith('*') && !dow.startsWith('*'),
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(expression, matcher);
  return matcher;
}

function dayMatches(c: CronMatcher, dayStart: number): boolean {
  const d = new Date(dayStart);
  if (!c.months[d.getUTCMonth() + 1]) return false;
  const byDate = c.days[d.getUTCDate()] === true;
  const byWeekday = c.weekdays[d.getUTCDay()] === true;
  return c.dayEither ? byDate || byWeekday : byDate && byWeekday;
}

/** How many times the cron fires on the UTC day starting at `dayStart` (epoch ms, midnight). */
export function ticksOnDay(expression: string, dayStart: number): number {
  const c = compileCron(expression);
  if (!dayMatches(c, dayStart)) return 0;
  return c.hours.filter(Boolean).length * c.minutes.filter(Boolean).length;
}

/** The latest tick at or before `at` (epoch ms, UTC), or null when there is none within 5 years. */
export function previousTick(expression: string, at: number): number | null {
  const c = compileCron(expression);
  let day = Math.floor(at / DAY) * DAY;
  let fromMinute = Math.floor((at - day) / MINUTE); // minute of the day to start from
  for (let i = 0; i < SEARCH_DAYS; i++, day -= DAY, fromMinute = 24 * 60 - 1) {
    if (!dayMatches(c, day)) continue;
    for (let minute = fromMinute; minute >= 0; minute--) {
      if (c.hours[Math.floor(minute / 60)] && c.minutes[minute % 60]) return day + minute * MINUTE;
    }
  }
  return null;
}

/** The earliest tick strictly after `at`, or null when there is none within 5 years. */
export function nextTick(expression: string, at: number): number | null {
  const c = compileCron(expression);
  const start = Math.floor(at / MINUTE) * MINUTE + MINUTE;
  let day = Math.floor(start / DAY) * DAY;
  let fromMinute = Math.floor((start - day) / MINUTE);
  for (let i = 0; i < SEARCH_DAYS; i++, day += DAY, fromMinute = 0) {
    if (!dayMatches(c, day)) continue;
    for (let minute = fromMinute; minute < 24 * 60; minute++) {
      if (c.hours[Math.floor(minute / 60)] && c.minutes[minute % 60]) return day + minute * MINUTE;
    }
  }
  return null;
}

/**
 * The gap the schedule leaves around `at`: between the two latest ticks at or before it (so an
 * irregular cron such as `0 9 * * MON-FRI` gives the gap that applies now, e.g. 3 days on a Monday).
 */
export function intervalAt(expression: string, at: number): number | null {
  const last = previousTick(expression, at);
  if (last === null) return null;
  const before = previousTick(expression, last - 1);
  return before === null ? null : last - before;
}

/** "15 min", "2 h", "1 day", "1 h 30 min": an interval as people say it. */
export function describeInterval(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  if (minutes % (24 * 60) === 0) {
    const days = minutes / (24 * 60);
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * The latest time at or before `at` a run is due when each tick of `expression` is due `offsetMs`
 * after it (a test's `scheduleSecond`), or null when it never was.
 */
export function previousDue(expression: string, at: number, offsetMs = 0): number | null {
  const tick = previousTick(expression, at - offsetMs);
  return tick === null ? null : tick + offsetMs;
}

/** The first time after `at` a run is due, `offsetMs` after a tick of `expression`, or null. */
export function nextDue(expression: string, at: number, offsetMs = 0): number | null {
  const tick = nextTick(expression, at - offsetMs);
  return tick === null ? null : tick + offsetMs;
}

/** How long after its cron's tick a test's run is due: its `scheduleSecond`, in ms. */
export function dueOffsetMs(test: { scheduleSecond?: number }): number {
  return (test.scheduleSecond ?? 0) * 1000;
}
