/**
 * Writes schema/housecat.schema.json from the zod schema (`npm run schema`). CI regenerates it and
 * fails when the committed copy is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { definitionsJsonSchema } from '../core/config/json-schema.js';

const target = resolve(process.argv[2] ?? 'schema/housecat.schema.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(definitionsJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
