import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';

const parse = (yaml: string) => parseDefinitions(yaml, { file: 'housecat.yml', repo: 'acme/shop' });

describe('the trace field', () => {
  it('takes on-failure from defaults, lets a test turn it off, and writes nothing when off', () => {
    const outcome = parse(`defaults: { trace: on-failure }
tests:
  - { name: A, url: "https://a.example.com", goal: "Sign in" }
  - { name: B, url: "https://a.example.com", goal: "Sign in", trace: "off" }
`);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.tests[0]?.trace).toBe('on-failure');
    // Off is the default and is not stored: tests that leave it out keep their content hash.
    expect(outcome.tests[1]).not.toHaveProperty('trace');
  });

  it('reports any other value with its line', () => {
    const outcome = parse(`tests:
  - { name: A, url: "https://a.example.com", goal: "Sign in", trace: always }
`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.diagnostics[0]?.line).toBe(2);
    expect(outcome.diagnostics[0]?.message).toContain('trace must be "on-failure" or "off"');
  });
});
