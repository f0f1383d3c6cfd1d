#!/usr/bin/env node
// Checks that every installed package, dev dependencies included, accepts the floor of
// package.json's engines.node: users run the runtime ones, and `npm ci` in a clone installs the dev
// ones (vitest 4 pulls vite 8, which wants 20.19: package.json's overrides keep vite 6, which vitest 4
// supports and which runs on 20.18). `npm ci` merely warns (EBADENGINE) on a
// mismatch, which is how content-type@3 (Node >= 22) slipped in under a ">= 20.18.1" promise.
// Usage: node .ci/check-engines.mjs   (exit 1 and one line per offending package)
import { readFileSync } from 'node:fs';

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const floor = /(\d+(?:\.\d+){0,2})/.exec(root.engines?.node ?? '')?.[1];
if (!floor) {
  console.error('check-engines: package.json has no engines.node to check against');
  process.exit(1);
}

const parse = (v) => {
  const parts = String(v).replace(/^v/, '').split('.');
  return [0, 1, 2].map((i) => (/^\d+$/.test(parts[i] ?? '') ? Number(parts[i]) : null));
};
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const full = (p) => p.map((n) => n ?? 0);

/** One comparator such as ">=18", "^20.17", "~1.2", "6.*", "<=0.7.0", "*". */
function test(comparator, version) {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*v?([\dx*]+(?:\.[\dx*]+){0,2})?$/.exec(comparator);
  if (!m) throw new Error(`cannot read the range part "${comparator}"`);
  const [, op = '', raw = '*'] = m;
  const p = parse(raw);
  const v = full(version);
  if (p[0] === null) return true;
  const lo = full(p);
  const c = cmp(v, lo);
  if (op === '>=') return c >= 0;
  if (op === '>') return c > 0;
  if (op === '<=') return c <= 0;
  if (op === '<') return c < 0;
  const upper =
    op === '^'
      ? p[0] > 0 || p[1] === null
        ? [p[0] + 1, 0, 0]
        : [0, p[1] + 1, 0]
      : op === '~' || p[2] === null
        ? p[1] === null
          ? [p[0] + 1, 0, 0]
          : [p[0], p[1] + 1, 0]
        : null;
  return upper ? c >= 0 && cmp(v, upper) < 0 : c === 0;
}

/** A whole range: "a || b", each a space-separated set of comparators that must all hold. */
function satisfies(range, version) {
  return range.split('||').some((set) =>
    set
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => test(c, version)),
  );
}

const problems = [];
let checked = 0;
for (const [path, meta] of Object.entries(lock.packages ?? {})) {
  if (path === '' || !path.includes('node_modules/')) continue;
  const range = typeof meta.engines === 'object' ? meta.engines?.node : undefined;
  if (typeof range !== 'string') continue;
  checked += 1;
  // Dev dependencies too: `npm ci` in a clone installs them, and warns on the promised floor.
  if (!satisfies(range, parse(floor))) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 13);
    problems.push(
      `${name}@${meta.version} wants Node ${range}, but HouseCat promises >= ${floor}${meta.dev ? ' (a dev dependency: `npm ci` in a clone warns)' : ''} — pin an older version in package.json "overrides" or replace it`,
    );
  }
}
for (const line of problems) console.error(`check-engines: ${line}`);
if (problems.length > 0) process.exit(1);
console.log(
  `check-engines: ${checked} packages declare engines.node; all accept Node ${floor}, dev dependencies included`,
);
