import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultsSchema,
  expectSchema,
  fileSchema,
  statusPageSchema,
  testSchema,
} from '../../src/core/config/schema.js';

// examples/housecat.yml says it shows every field: held to that against the schema itself.
const example = parse(
  readFileSync(join(import.meta.dirname, '../../examples/housecat.yml'), 'utf8'),
) as Record<string, unknown>;
const tests = example.tests as Array<Record<string, unknown>>;
const keysOf = (items: Array<Record<string, unknown> | undefined>) =>
  new Set(items.flatMap((item) => Object.keys(item ?? {})));

describe('examples/housecat.yml', () => {
  it('shows every top-level field, every default and every status page setting', () => {
    const shown = (schema: { shape: object }, have: Set<string>) =>
      Object.keys(schema.shape).filter((k) => k !== '$schema' && !have.has(k));
    expect(shown(fileSchema, keysOf([example]))).toEqual([]);
    expect(shown(defaultsSchema, keysOf([example.defaults as Record<string, unknown>]))).toEqual([]);
    expect(shown(statusPageSchema, keysOf([example.status_page as Record<string, unknown>]))).toEqual([]);
  });

  it('shows every test field and every expect check in at least one test', () => {
    expect(Object.keys(testSchema.shape).filter((k) => !keysOf(tests).has(k))).toEqual([]);
    const expects = keysOf(tests.map((t) => t.expect as Record<string, unknown> | undefined));
    expect(Object.keys(expectSchema.shape).filter((k) => !expects.has(k))).toEqual([]);
  });
});
