import { describe, expect, it } from 'vitest';
import {
  allowPrivateNetwork,
  defaultMaxParallelRuns,
  machineFacts,
  maxParallelRuns,
  readEnv,
} from '../../src/adapters/env.js';
import { ConfigError } from '../../src/core/errors.js';

describe('HOUSECAT_ALLOW_PRIVATE_NETWORK', () => {
  it.each(['1', 'true', 'yes', 'on', 'YES', ' On '])('allows private addresses when it is "%s"', (value) => {
    expect(allowPrivateNetwork(readEnv({ HOUSECAT_ALLOW_PRIVATE_NETWORK: value }))).toBe(true);
  });

  it.each(['0', 'false', 'no', 'off', ''])('refuses private addresses when it is "%s"', (value) => {
    expect(allowPrivateNetwork(readEnv({ HOUSECAT_ALLOW_PRIVATE_NETWORK: value }))).toBe(false);
  });

  it('refuses a value it does not understand, naming the variable and the words it accepts', () => {
    expect(() => readEnv({ HOUSECAT_ALLOW_PRIVATE_NETWORK: 'maybe' })).toThrow(ConfigError);
    expect(() => readEnv({ HOUSECAT_ALLOW_PRIVATE_NETWORK: 'maybe' })).toThrow(
      'HOUSECAT_ALLOW_PRIVATE_NETWORK is "maybe": set it to 1 (or true, yes, on)',
    );
  });
});

describe('HOUSECAT_MAX_PARALLEL_RUNS', () => {
  const MiB = 1024 * 1024;

  it('uses the number given, whatever the machine', () => {
    const bound = maxParallelRuns(readEnv({ HOUSECAT_MAX_PARALLEL_RUNS: '3' }), () => ({
      cores: 64,
      freeBytes: 0,
    }));
    expect(bound).toEqual({ runs: 3, source: 'HOUSECAT_MAX_PARALLEL_RUNS' });
  });

  it.each(['0', '-1', '2.5', 'four', '1e3'])(
    'refuses "%s", naming the variable and what it takes',
    (value) => {
      expect(() => readEnv({ HOUSECAT_MAX_PARALLEL_RUNS: value })).toThrow(
        `HOUSECAT_MAX_PARALLEL_RUNS is "${value}": set it to a whole number of runs of at least 1`,
      );
    },
  );

  it.each([
    [2, 4096 * MiB, 4],
    [2, 700 * MiB, 2],
    [8, 1000 * MiB, 4],
    [1, 100 * MiB, 1],
  ])(
    'defaults to min(cores × 2, free / 250 MiB) with %i cores and %i bytes free',
    (cores, freeBytes, runs) => {
      expect(defaultMaxParallelRuns({ cores, freeBytes })).toBe(runs);
      expect(maxParallelRuns(readEnv({}), () => ({ cores, freeBytes })).runs).toBe(runs);
    },
  );

  it('says how the default was derived when the variable is unset', () => {
    expect(maxParallelRuns(readEnv({}), () => ({ cores: 2, freeBytes: 4096 * MiB })).source).toBe(
      'default: min(2 cores × 2, 4096 MiB free / 250 MiB)',
    );
  });

  it('reads cores and free memory from this machine', () => {
    const facts = machineFacts();
    expect(facts.cores).toBeGreaterThanOrEqual(1);
    expect(facts.freeBytes).toBeGreaterThan(0);
  });
});

describe('HOUSECAT_THINKING and HOUSECAT_EFFORT', () => {
  it('reads the settings the claude agent understands', () => {
    expect(readEnv({ HOUSECAT_THINKING: 'between_tools', HOUSECAT_EFFORT: 'low' })).toMatchObject({
      HOUSECAT_THINKING: 'between_tools',
      HOUSECAT_EFFORT: 'low',
    });
  });

  it('refuses a value it does not know before anything runs, naming the variable and the choices', () => {
    expect(() => readEnv({ HOUSECAT_THINKING: 'off' })).toThrow(ConfigError);
    expect(() => readEnv({ HOUSECAT_THINKING: 'off' })).toThrow(/HOUSECAT_THINKING is "off".*between_tools/);
    expect(() => readEnv({ HOUSECAT_EFFORT: 'minimal' })).toThrow(
      /HOUSECAT_EFFORT is "minimal".*low, medium/,
    );
  });
});
