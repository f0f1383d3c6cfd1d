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
    expect(checkEnvironment([goal, fish, checks], ready)).toEqual({
      problems: [],
      skipAi: new Map(),
      keylessChecks: new Map(),
    });
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
    expect(() => requireEnvironment({ problems, skipAi: new Map(), keylessChecks: new Map() })).toThrow(
      ConfigError,
    );
    expect(() => requireEnvironment({ problems, skipAi: new Map(), keylessChecks: new Map() })).toThrow(
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

  it('lists a test secret that is not set as a problem, with where to set it, once per secret', () => {
    const login = makeTest('login', {
      agent: 'claude',
      goal: 'log in',
      secrets: ['LOGIN_PASSWORD', 'LOGIN_USER'],
    });
    const admin = makeTest('admin', {
      agent: 'claude',
      goal: 'log in as admin',
      secrets: ['LOGIN_PASSWORD'],
    });
    const plan = checkEnvironment([login, admin, checks], {
      ...ready,
      secretsSet: new Set(['LOGIN_USER']),
      secretHint: '{name} in the step env',
    });
    expect(plan.problems).toEqual([
      'the secret LOGIN_PASSWORD is not set, and 2 test(s) name it under `secrets:`: login, admin. Set LOGIN_PASSWORD in the step env, or remove it from their `secrets:`.',
    ]);
  });

  it('asks for no secret where the AI part does not run (a fork, a skipped goal, or secrets unchecked)', () => {
    const login = makeTest('login', { agent: 'claude', goal: 'log in', secrets: ['LOGIN_PASSWORD'] });
    const none = new Set<string>();
    expect(checkEnvironment([login], { ...ready, fork: true, secretsSet: none }).problems).toEqual([]);
    expect(
      checkEnvironment([login], { ...ready, anthropicKey: false, skipWithoutKey: true, secretsSet: none })
        .problems,
    ).toEqual([]);
    expect(checkEnvironment([login], ready).problems).toEqual([]);
  });

  it('lets the app run the checks of a keyless goal test, naming the key and where to set it', () => {
    const withChecks = makeTest('with-checks', { agent: 'claude', goal: 'log in', expect: { status: 200 } });
    const plan = checkEnvironment([withChecks, goal], {
      ...ready,
      anthropicKey: false,
      checksWithoutKey: true,
      keyHint: { anthropic: "ANTHROPIC_API_KEY in the app's environment" },
    });
    expect(plan.keylessChecks.get(withChecks.id)).toBe(
      "configuration: ANTHROPIC_API_KEY is not set, so the goal was not checked (the `expect` checks passed). Set ANTHROPIC_API_KEY in the app's environment, or give this test `agent: checks`.",
    );
    expect(plan.skipAi.size).toBe(0);
    // Without checks nothing can run: that one is still a problem.
    expect(plan.problems).toEqual([
      expect.stringMatching(/^ANTHROPIC_API_KEY is not set, and 1 goal test\(s\) need it: goal\./),
    ]);
  });
});
