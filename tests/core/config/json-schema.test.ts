import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionsJsonSchema } from '../../../src/core/config/json-schema.js';

describe('generated JSON Schema', () => {
  it('matches the committed schema/housecat.schema.json (run `npm run build` when it does not)', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../schema/housecat.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(definitionsJsonSchema());
  });

  it('describes every test field and forbids unknown keys, so editors flag typos', () => {
    const schema = definitionsJsonSchema() as {
      properties: {
        tests: {
          items: { properties: Record<string, { description?: string }>; additionalProperties: boolean };
        };
      };
    };
    const test = schema.properties.tests.items;
    expect(test.additionalProperties).toBe(false);
    for (const field of [
      'name',
      'id',
      'url',
      'goal',
      'schedule',
      'timeout',
      'retries',
      'failure_threshold',
      'recovery_threshold',
      'agent',
      'allowed_hosts',
      'secrets',
      'expect',
    ]) {
      expect(test.properties[field], field).toBeDefined();
      expect(test.properties[field]?.description, field).toBeTruthy();
    }
  });
});
