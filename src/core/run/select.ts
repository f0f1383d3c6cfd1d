/**
 * `--only` selection. Ids may be given as the full id (`owner--repo--slug`) or as the slug used in
 * housecat.yml, because that is what people see in their own file.
 */
import { ConfigError } from '../errors.js';
import type { TestDefinition } from '../types.js';

/** Splits `a,b , c` into trimmed, non-empty ids. */
export function parseOnly(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The tests named in `only`, in file order; every test when `only` is empty.
 * An unknown id is a usage error listing the valid ones, so a typo never runs "nothing" and passes.
 */
export function selectTests(tests: TestDefinition[], only: string[], where = '--only'): TestDefinition[] {
  if (only.length === 0) return tests;
  const wanted = new Set(only.map((s) => s.toLowerCase()));
  const known = new Set<string>();
  for (const t of tests) {
    known.add(t.id);
    known.add(t.slug);
  }
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const valid = tests.map((t) => t.slug).join(', ') || '(the file defines no tests)';
    throw new ConfigError(
      `${where}: unknown test id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Valid ids: ${valid}`,
    );
  }
  return tests.filter((t) => wanted.has(t.id) || wanted.has(t.slug));
}
