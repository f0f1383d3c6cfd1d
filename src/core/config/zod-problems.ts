/**
 * Turns what the schema refuses (zod issues) into problems a user can act on: the field path, a
 * message in the file's own terms (a missing field, a value to quote, a key that was probably
 * misspelt) and whether the key or the value should be pointed at.
 */
import type { z } from 'zod';
import type { PathSegment } from './locate.js';
import { defaultsSchema, expectSchema, fileSchema, statusPageSchema, testSchema } from './schema.js';
import { closest } from './suggest.js';

/**
 * Where an error sends a user for the file's format: the annotated example every field is shown in,
 * at its public address (users have no examples/ folder of their own; the CLI may come from a tarball).
 */
export const EXAMPLE_URL = 'https://github.com/housecat-dev/housecat/blob/main/examples/housecat.yml';
/** The end of a message that sends the user to the example. */
export const EXAMPLE_HINT = `every field is shown in ${EXAMPLE_URL}`;

/** One problem with the file, before it is given a line and column. */
export interface Problem {
  path: PathSegment[];
  message: string;
  at: 'key' | 'value';
}

function knownKeys(path: readonly PathSegment[]): string[] {
  const shape =
    path.length === 0
      ? fileSchema.shape
      : path[0] === 'defaults'
        ? defaultsSchema.shape
        : path[0] === 'status_page'
          ? statusPageSchema.shape
          : path.at(-1) === 'expect'
            ? expectSchema.shape
            : testSchema.shape;
  return Object.keys(shape);
}

function valueAt(root: unknown, path: readonly PathSegment[]): { exists: boolean; value: unknown } {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !(segment in (node as object))) {
      return { exists: false, value: undefined };
    }
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return { exists: true, value: node };
}

/** A value as a message names it: quoted and cut when it is text, "a list", "a mapping". */
export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Turns one zod issue into one or more (for unknown keys) located problems. */
export function fromIssue(issue: z.core.$ZodIssue, root: unknown): Problem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const suggestion = closest(key, knownKeys(path));
      const hint = suggestion
        ? ` — did you mean "${suggestion}"?`
        : ` — allowed here: ${knownKeys(path).join(', ')}`;
      return { path: [...path, key], message: `unknown key "${key}"${hint}`, at: 'key' as const };
    });
  }
  const { exists, value } = valueAt(root, path);
  const field = String(path.at(-1) ?? 'file');
  if (!exists) {
    if (field === 'tests' && path.length === 1) {
      return [{ path, message: `\`tests\` is missing — add a list of tests (${EXAMPLE_HINT})`, at: 'value' }];
    }
    const example = field === 'url' ? ' (e.g. url: https://myapp.com/login)' : '';
    return [{ path, message: `\`${field}\` is missing — every test needs one${example}`, at: 'value' }];
  }
  if (issue.code === 'invalid_union' && field === 'text') {
    return [
      {
        path,
        message: `text must be a string or a list of strings, not ${describeValue(value)}`,
        at: 'value',
      },
    ];
  }
  if (issue.code === 'invalid_type') {
    // YAML reads `name: 012` or `name: yes`-like values as numbers or booleans.
    const quote = issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
    const hint = quote ? ' — put the value in quotes to make it text' : '';
    return [{ path, message: `${issue.message} (found ${describeValue(value)})${hint}`, at: 'value' }];
  }
  return [{ path, message: issue.message, at: 'value' }];
}
