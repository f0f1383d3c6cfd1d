/** 5-field UTC cron matching, enough for the QStash stand-in to fire schedules on a fast-forwarded clock. */

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

function parseField(field: string, min: number, max: number): { any: boolean; values: Set<number> } {
  const values = new Set<number>();
  const num = (raw: string) => NAMES[raw.toUpperCase()] ?? Number(raw);
  for (const part of field.split(',')) {
    const [range = '*', stepRaw] = part.split('/');
    const step = stepRaw ? Number(stepRaw) : 1;
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = num(a);
      hi = b !== undefined ? num(b) : stepRaw ? max : lo;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { any: field === '*', values };
}

/** True when `cron` fires at the minute starting at `at` (epoch ms, UTC). */
export function cronMatches(cron: string, at: number): boolean {
  const [m = '*', h = '*', dom = '*', mon = '*', dow = '*'] = cron.trim().split(/\s+/);
  const d = new Date(at);
  const days = parseField(dow, 0, 7);
  if (days.values.has(7)) days.values.add(0);
  const dayOfMonth = parseField(dom, 1, 31);
  const dayOk =
    dayOfMonth.any || days.any
      ? dayOfMonth.values.has(d.getUTCDate()) && days.values.has(d.getUTCDay())
      : dayOfMonth.values.has(d.getUTCDate()) || days.values.has(d.getUTCDay());
  return (
    parseField(m, 0, 59).values.has(d.getUTCMinutes()) &&
    parseField(h, 0, 23).values.has(d.getUTCHours()) &&
    parseField(mon, 1, 12).values.has(d.getUTCMonth() + 1) &&
    dayOk
  );
}
