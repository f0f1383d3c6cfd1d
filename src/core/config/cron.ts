/**
 * Validation of 5-field cron expressions as QStash accepts them (UTC, no seconds field), plus
 * Jenkins' `H` forms in test schedules (resolved per test before QStash sees them:
 * scheduling/hashed-cron.ts). Returns a message a person can act on, or `null` when valid.
 */
import { hashItemProblem, isHashItem } from '../scheduling/hashed-cron.js';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Offset of names[0]: months start at 1, weekdays at 0. */
  namesFrom?: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in every common cron.
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const FORMAT_HINT = 'use 5 fields: minute hour day-of-month month day-of-week, e.g. "*/15 * * * *"';

function parseValue(raw: string, spec: FieldSpec): number | string {
  const upper = raw.toUpperCase();
  if (spec.names) {
    const index = spec.names.indexOf(upper as never);
    if (index >= 0) return index + (spec.namesFrom ?? 0);
  }
  if (!/^\d+$/.test(raw)) {
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
    return `${spec.name} "${raw}" is not a number${names ? ` (use ${spec.min}-${spec.max}${names})` : ` (use ${spec.min}-${spec.max})`}`;
  }
  const value = Number(raw);
  if (value < spec.min || value > spec.max) return `${spec.name} must be ${spec.min}-${spec.max}`;
  return value;
}

function checkItem(item: string, spec: FieldSpec): string | null {
  if (item === '') return `${spec.name} has an empty list item (check for a stray comma)`;
  const [base, step, ...extra] = item.split('/');
  if (extra.length > 0 || base === undefined) return `${spec.name} "${item}" has more than one "/"`;
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) < 1) {
      return `${spec.name} step "/${step}" must be a whole number of at least 1`;
    }
    if (Number(step) > spec.max) return `${spec.name} step "/${step}" must be at most ${spec.max}`;
  }
  if (base === '*') return null;
  const [from, to, ...more] = base.split('-');
  if (more.length > 0 || from === undefined) return `${spec.name} range "${base}" has more than one "-"`;
  const start = parseValue(from, spec);
  if (typeof start === 'string') return start;
  if (to === undefined) return null;
  const end = parseValue(to, spec);
  if (typeof end === 'string') return end;
  if (start > end) return `${spec.name} range "${base}" runs backwards (write it low-high)`;
  return null;
}

export interface CronOptions {
  /**
   * Accept Jenkins' `H` (test schedules: resolved per test id). Off for maintenance windows, which
   * apply to many tests at once and need times a person chose.
   */
  allowHash?: boolean;
}

/** Checks a cron expression; returns a message (without the expression itself) or `null`. */
export function cronProblem(expression: string, options: CronOptions = {}): string | null {
  const trimmed = expression.trim();
  if (trimmed === '') return `the schedule is empty — ${FORMAT_HINT}`;
  if (trimmed.startsWith('@')) return `shortcuts like "${trimmed}" are not supported — ${FORMAT_HINT}`;
  const fields = trimmed.split(/\s+/);
  if (fields.length === 6) {
    return `has 6 fields, but QStash cron has no seconds field — ${FORMAT_HINT}`;
  }
  if (fields.length !== 5)
    return `has ${fields.length} field${fields.length === 1 ? '' : 's'} — ${FORMAT_HINT}`;
  for (let i = 0; i < 5; i++) {
    const spec = FIELDS[i]!;
    for (const item of fields[i]!.split(',')) {
      const problem = isHashItem(item)
        ? options.allowHash
          ? prefixed(spec.name, hashItemProblem(item, i))
          : `${spec.name} "${item}": H (hash) is for test schedules only; a maintenance window needs a fixed time`
        : checkItem(item, spec);
      if (problem) return problem;
    }
  }
  return null;
}

function prefixed(name: string, problem: string | null): string | null {
  return problem === null ? null : `${name} ${problem}`;
}

/** A loose pattern for editors (JSON Schema); the real check is {@link cronProblem}. */
export const CRON_PATTERN = '^\\s*\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s*$';
