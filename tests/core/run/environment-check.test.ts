import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import {
  checkEnvironment,
  type EnvironmentFacts,
  FORK_REASON,
  requireEnvironment,
} from '../../../src/core/run/environment-check.js';
import { makeTest } from '../../support/test-definitions.js';

const ready: EnvironmentFacts = { anthropicKey: true, tinyfishKey: true, allowPrivateNetwork: false };
const goal = makeTest('goal', { agent: 'claude', goal: 'log in', expect: undefined });
const fish = makeTest('fish', { agent: 'tinyfish', goal: 'buy', expect: undefined });
const checks = makeTest('checks', { expect: { status: 200 } });
const local = makeTest('local', { url: 'http://127.0.0.1:3000/', expect: { status: 200 } });

describe('checkEnvironment', () => {
  it('finds nothing to say when the environment has what the tests need', () => {
    expect(checkEnvironment([goal, fish, checks], ready)).toEqual({ problems: [], skipAi: new Map() });
  });

  it('lists every problem at once, each with its fix: missing keys, a private URL, no Chromium', () => {
    const { problems } = checkEnvironment([goal, fish, checks, local], {
      anthropicKey: false,
      tinyfishKey: false,
      allowPrivateNetwork: false,
      chromiumProblem: 'No Chromium found. Install it with apt-get install -y chromium.',
      skipHint: 'pass --skip-without-key',
    });
    expect(problems).toEqual([
      'ANTHROPIC_API_KEY is not set, and 1 goal test(s) need it: goal. Set ANTHROPIC_API_KEY, or give these tests `agent: checks` with `expect:`, or pass --skip-without-key.',
      'TINYFISH_API_KEY is not set, and 1 goal test(s) need it: fish. Set TINYFISH_API_KEY, or give these tests `agent: checks` with `expect:`, or pass --skip-without-key.',
      expect.stringMatching(
        /^1 test\(s\) point at a private or loopback address.*local \(http:\/\/127\.0\.0\.1:3000\/: .*Set HOUSECAT_ALLOW_PRIVATE_NETWORK=1/,
      ),
      'No Chromium found. Install it with apt-get install -y chromium.',
    ]);
    expect(() => requireEnvironment({ problems, skipAi: new Map() })).toThrow(ConfigError);
    expect(() => requireEnvironment({ problems, skipAi: new Map() })).toThrow(
      /^4 problems in the environment/,
    );
  });

  it('skips the AI part on a fork even with a key, and never asks for the key there', () => {
    const plan = checkEnvironment([goal, checks], { ...ready, anthropicKey: false, fork: true });
    expect(plan.problems).toEqual([]);
    expect(plan.skipAi).toEqual(new Map([[goal.id, FORK_REASON]]));
  });

  it('skips the AI part of a keyless goal test only when asked to', () => {
    const plan = checkEnvironment([goal], { ...ready, anthropicKey: false, skipWithoutKey: true });
    expect(plan.problems).toEqual([]);
    expect(plan.skipAi.get(goal.id)).toBe('ANTHROPIC_API_KEY is not set');
  });

  it('needs no Chromium for a TinyFish goal without checks, and no private-network flag for a skipped one', () => {
    expect(checkEnvironment([fish], { ...ready, chromiumProblem: 'no chromium' }).problems).toEqual([]);
    const skippedLocal = makeTest('skipped-local', {
      url: 'http://localhost/',
      goal: 'x',
      agent: 'claude',
      expect: undefined,
    });
    expect(checkEnvironment([skippedLocal], { ...ready, fork: true }).problems).toEqual([]);
  });
});
