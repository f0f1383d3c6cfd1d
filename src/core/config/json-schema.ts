/**
 * The JSON Schema of housecat.yml, generated from the zod schema so the two can never disagree.
 */
import { z } from 'zod';
import { fileSchema } from './schema.js';

/** Builds the JSON Schema (draft 2020-12) describing the file as a person writes it. */
export function definitionsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(fileSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  // Top-level `x-…` keys may hold YAML anchors (see parse.ts).
  return { ...schema, patternProperties: { '^x-': {} } };
}
