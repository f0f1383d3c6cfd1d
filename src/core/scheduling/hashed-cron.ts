/**
 * Jenkins' `H` ("hash") in cron fields, resolved per test. `H/5 * * * *` means every 5 minutes at
 * a minute offset picked by hashing the test id: stable across syncs, different from test to test,
 * so 500 tests on "every 5 minutes" arrive spread over the 5 minutes instead of in one second.
 *
 * Semantics follow Jenkins' documentation and parser (hudson.scheduler.BaseParser):
 * - `H` picks one value of the field; `H(a-b)` one value in a..b;
 * - `H/n` and `H(a-b)/n` step by n from an offset picked in 0..n-1 (so `H/15` may be :07,:22,:37,:52);
 * - without a range, day of month hashes over 1-28 (every month has those days) and day of week over
 *   0-6 (0 and 7 are both Sunday);
 * - every `H` of an expression takes the next number from the same hash, so `H H * * *` does not
 *   tie the hour to the minute.
 * QStash has no `H`: sync sends the resolved 5-field cron, and lateness and the watchdog measure
 * against that resolved cron because it is what the stored definition holds.
 *
 * A minute field written with `H` also spreads within the minute: cron has no seconds, so every test
 * due at one minute would arrive in the same second. `scheduledSecond` hashes the id to a second of
 * the minute (0-59), which sync sends as the schedule's delay (QStash's `Upstash-Delay`) and lateness
 * counts from. 100 tests due at one minute then arrive about 1.7 a second instead of 100 at once.
 */
import { createHash } from 'node:crypto';

/** Where `H` without a range picks from, per field (Jenkins' bounds). */
const HASH_BOUNDS: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 28],
  [1, 12],
  [0, 6],
];
/** The values a range inside `H(a-b)` may name, per field (as plain cron allows). */
const FIELD_BOUNDS: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

const H_ITEM = /^H(?:\((\d+)-(\d+)\))?(?:\/(\d+))?$/;
const HINT = 'write H, H/5, H(0-29) or H(0-29)/10';

interface HashItem {
  from: number;
  to: number;
  /** Absent: pick one value. */
  step?: number;
}

/** True when an item of a cron field is an `H` form (valid or not). */
export function isHashItem(item: string): boolean {
  return item.startsWith('H');
}

/** True when any field of the expression uses `H`. */
export function usesHash(expression: string): boolean {
  return expression
    .trim()
    .split(/\s+/)
    .some((field) => field.split(',').some(isHashItem));
}

function parseHashItem(item: string, field: number): HashItem | string {
  const match = H_ITEM.exec(item);
  if (!match) return `"${item}" is not a valid H form: ${HINT}`;
  const [, a, b, s] = match;
  const [lo, hi] = a === undefined ? HASH_BOUNDS[field]! : FIELD_BOUNDS[field]!;
  const from = a === undefined ? lo : Number(a);
  const to = b === undefined ? hi : Number(b);
  if (from < lo || to > hi) return `"${item}": the range must lie within ${lo}-${hi}`;
  if (from > to) return `"${item}": the range runs backwards (write it low-high)`;
  if (s === undefined) return { from, to };
  const step = Number(s);
  if (step === 1)
    return `"${item}": H/1 would pick one value (as in Jenkins); write H for one value or * for all`;
  if (step < 1) return `"${item}": the step must be a whole number of at least 2`;
  if (step > to - from + 1) {
    return `"${item}": the step ${step} is longer than the ${to - from + 1} values H covers (${from}-${to})`;
  }
  return { from, to, step };
}

/** What is wrong with an `H` item of field `field` (0 = minute … 4 = day of week), or null. */
export function hashItemProblem(item: string, field: number): string | null {
  const parsed = parseHashItem(item, field);
  return typeof parsed === 'string' ? parsed : null;
}

/** Successive numbers from a SHA-256 of the seed: the k-th `H` of an expression uses the k-th. */
function hashDraws(seed: string): (n: number) => number {
  let block = Buffer.alloc(0);
  let index = 0;
  return (n) => {
    const offset = (index % 8) * 4;
    if (offset === 0) {
      block = createHash('sha256')
        .update(`${seed}#${index / 8}`, 'utf8')
        .digest();
    }
    index += 1;
    // 2^32 is so much larger than n (at most 60) that the modulo bias is below 1 in 70 million.
    return block.readUInt32BE(offset) % n;
  };
}

function resolveItem(item: HashItem, next: (n: number) => number): string {
  if (item.step === undefined) return String(item.from + next(item.to - item.from + 1));
  const first = item.from + next(item.step);
  const last = first + Math.floor((item.to - first) / item.step) * item.step;
  return last === first ? String(first) : `${first}-${last}/${item.step}`;
}

/**
 * The expression with every `H` replaced by the values picked for `seed` (the test id): plain
 * 5-field cron QStash understands. An expression without `H` comes back unchanged. Assumes the
 * expression passed `cronProblem`.
 */
export function resolveHashedCron(expression: string, seed: string): string {
  const fields = expression.trim().split(/\s+/);
  if (!fields.some((field) => field.split(',').some(isHashItem))) return expression;
  const next = hashDraws(seed);
  return fields
    .map((field, i) =>
      field
        .split(',')
        .map((item) => {
          if (!isHashItem(item)) return item;
          const parsed = parseHashItem(item, i);
          if (typeof parsed === 'string') throw new Error(`cron "${expression}": ${parsed}`);
          return resolveItem(parsed, next);
        })
        .join(','),
    )
    .join(' ');
}

/**
 * `defaults.spread: true`: a minute field of exactly `*\/N` (N ≥ 2) becomes `H/N`. Anything else is
 * left as written, since a literal minute (`0 * * * *`) is a time someone chose.
 */
export function spreadCron(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  const match = /^\*\/(\d+)$/.exec(fields[0] ?? '');
  if (!match || Number(match[1]) < 2) return expression;
  return [`H/${match[1]}`, ...fields.slice(1)].join(' ');
}

/** The cron a test really runs on: spread (when asked), then every `H` resolved for its id. */
export function scheduledCron(expression: string, testId: string, spread: boolean): string {
  return resolveHashedCron(spread ? spreadCron(expression) : expression, testId);
}

/**
 * The second of its minute a test's runs are due (0-59): hashed from its id when the minute field
 * (after `spread`) uses `H`, else 0, since a minute someone wrote (`0 * * * *`, `*\/5`) means :00.
 * Drawn from its own hash, so the minutes `H` picked before this existed stay the same.
 */
export function scheduledSecond(expression: string, testId: string, spread: boolean): number {
  const written = spread ? spreadCron(expression) : expression;
  const minuteField = written.trim().split(/\s+/)[0] ?? '';
  if (!minuteField.split(',').some(isHashItem)) return 0;
  return createHash('sha256').update(`${testId}#second`, 'utf8').digest().readUInt32BE(0) % 60;
}
