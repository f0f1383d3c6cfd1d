/**
 * The JSON Schema of housecat.yml, generated from the zod schema so the two can never disagree.
 */
import { z } from 'zod';
import { fileSchema } from './schema.js';

/** Builds the JSON Schema (draft 2020-12) describing the file as a person writes it. */
export function definitionsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(fileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
