import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';
import { replayEnabled, replayHash } from '../../../src/core/replay/index.js';

const parse = (yaml: string) => parseDefinitions(yaml, { file: 'housecat.yml', repo: 'acme/shop' });

describe('the replay field', () => {
  it('defaults to on, takes false from defaults, and lets a test turn it back on', () => {
    const outcome = parse(`defaults: { replay: false }
tests:
  - { name: A, url: "https://a.example.com", goal: "Sign in" }
  - { name: B, url: "https://a.example.com", goal: "Sign in", replay: true }
`);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.tests[0]?.replay).toBe(false);
    expect(replayEnabled(outcome.tests[0]!)).toBe(false);
    expect(outcome.tests[1]).not.toHaveProperty('replay');
    expect(replayEnabled(outcome.tests[1]!)).toBe(true);
  });

  it('reports a value that is not true or false with its line', () => {
    const outcome = parse(`tests:
  - { name: A, url: "https://a.example.com", goal: "Sign in", replay: "yes" }
`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.diagnostics[0]).toMatchObject({
      line: 2,
      message: 'replay must be true or false (found "yes")',
    });
  });

  it('binds the script to goal, URL, secrets and allowed hosts, not to the schedule', () => {
    const [base] = (
      parse(`tests:
  - { name: A, url: "https://a.example.com", goal: "Sign in", secrets: [PW], schedule: "*/5 * * * *" }
`) as { tests: Parameters<typeof replayHash>[0][] }
    ).tests;
    const hash = replayHash(base!);
    expect(replayHash({ ...base!, schedule: '0 * * * *', timeout: 30 })).toBe(hash);
    expect(replayHash({ ...base!, goal: 'Sign in twice' })).not.toBe(hash);
    expect(replayHash({ ...base!, url: 'https://b.example.com' })).not.toBe(hash);
    expect(replayHash({ ...base!, secrets: ['PW', 'OTP'] })).not.toBe(hash);
    expect(replayHash({ ...base!, allowedHosts: ['auth.example.com'] })).not.toBe(hash);
  });
});
