import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { booleanInput, INPUT_NAMES, SECRET_INPUTS } from '../../src/action/inputs.js';
import { ConfigError } from '../../src/core/errors.js';

const action = parse(readFileSync(join(import.meta.dirname, '../../action.yml'), 'utf8')) as {
  inputs: Record<string, { description?: string }>;
};

describe('the Action inputs', () => {
  it('reads exactly the inputs action.yml declares, in its order', () => {
    expect([...INPUT_NAMES]).toEqual(Object.keys(action.inputs));
  });

  it('masks only declared inputs', () => {
    for (const name of SECRET_INPUTS) expect(Object.keys(action.inputs)).toContain(name);
  });

  it('parses every boolean input with one rule: the usual words, empty gives the fallback, anything else is refused', () => {
    for (const word of ['true', 'On', 'YES', '1']) expect(booleanInput({ x: word }, 'x', false)).toBe(true);
    for (const word of ['false', 'off', 'No', '0']) expect(booleanInput({ x: word }, 'x', true)).toBe(false);
    expect(booleanInput({ x: '' }, 'x', true)).toBe(true);
    expect(booleanInput({}, 'x', false)).toBe(false);
    expect(() => booleanInput({ 'dry-run': 'maybe' }, 'dry-run', false)).toThrow(ConfigError);
    expect(() => booleanInput({ 'dry-run': 'maybe' }, 'dry-run', false)).toThrow(
      'input "dry-run" is "maybe": use true or false',
    );
  });
});
