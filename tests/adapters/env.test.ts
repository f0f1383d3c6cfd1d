import { describe, expect, it } from 'vitest';
import {
  allowPrivateNetwork,
  defaultMaxParallelRuns,
  flowParallelism,
  machineFacts,
  maxParallelRuns,
  readEnv,
  waitMs,
  watchdogMinutes,
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
    [2, 4096 * MiB, 2],
    [2, 400 * MiB, 1],
    [8, 1000 * MiB, 4],
    [1, 100 * MiB, 1],
  ])('defaults to min(cores, free / 250 MiB) with %i cores and %i bytes free', (cores, freeBytes, runs) => {
    expect(defaultMaxParallelRuns({ cores, freeBytes })).toBe(runs);
    expect(maxParallelRuns(readEnv({}), () => ({ cores, freeBytes })).runs).toBe(runs);
  });

  it('says how the default was derived when the variable is unset', () => {
    expect(maxParallelRuns(readEnv({}), () => ({ cores: 2, freeBytes: 4096 * MiB })).source).toBe(
      'default: min(2 cores × 1, 4096 MiB free / 250 MiB)',
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

describe('QStash flow control for sync: the app total', () => {
  it('is the runs per process × the replicas, each defaulting to the documented value', () => {
    expect(flowParallelism(readEnv({}))).toEqual({
      total: 2,
      source: 'default 2 runs per process × 1 replica',
    });
    expect(flowParallelism(readEnv({ HOUSECAT_MAX_PARALLEL_RUNS: '3', HOUSECAT_REPLICAS: '2' }))).toEqual({
      total: 6,
      source: '3 runs per process (HOUSECAT_MAX_PARALLEL_RUNS) × 2 replicas (HOUSECAT_REPLICAS)',
    });
    expect(flowParallelism(readEnv({ HOUSECAT_REPLICAS: '3' })).total).toBe(6);
  });

  it.each(['0', 'two', '1.5'])('refuses HOUSECAT_REPLICAS "%s", saying what it counts', (value) => {
    expect(() => readEnv({ HOUSECAT_REPLICAS: value })).toThrow(ConfigError);
    expect(() => readEnv({ HOUSECAT_REPLICAS: value })).toThrow(
      `HOUSECAT_REPLICAS is "${value}": set it to the number of \`housecat serve\` processes`,
    );
  });
});

describe('the watchdog cadence', () => {
  it('is 5 minutes unless the input or HOUSECAT_WATCHDOG_MINUTES says otherwise, the input first', () => {
    expect(watchdogMinutes(readEnv({}))).toBe(5);
    expect(watchdogMinutes(readEnv({ HOUSECAT_WATCHDOG_MINUTES: '15' }))).toBe(15);
    expect(watchdogMinutes(readEnv({ HOUSECAT_WATCHDOG_MINUTES: '15' }), '60')).toBe(60);
  });

  it.each(['7', '0', '90', 'hourly', '2.5'])(
    'refuses "%s", listing the cadences and their daily messages',
    (value) => {
      expect(() => readEnv({ HOUSECAT_WATCHDOG_MINUTES: value })).toThrow(ConfigError);
      expect(() => readEnv({ HOUSECAT_WATCHDOG_MINUTES: value })).toThrow(
        `HOUSECAT_WATCHDOG_MINUTES is "${value}": use`,
      );
      expect(() => watchdogMinutes(readEnv({}), value)).toThrow(`input "watchdog-minutes" is "${value}"`);
    },
  );

  it('states the QStash messages a day each cadence costs', () => {
    expect(() => watchdogMinutes(readEnv({}), '7')).toThrow(
      'use one of 1 (1440 messages a day), 2 (720 messages a day), 3 (480 messages a day), 4 (360 messages a day), 5 (288 messages a day), 6 (240 messages a day), 10 (144 messages a day), 12 (120 messages a day), 15 (96 messages a day), 20 (72 messages a day), 30 (48 messages a day), 60 (24 messages a day)',
    );
  });
});

describe('HOUSECAT_TEXT_WAIT_MS and HOUSECAT_ELEMENT_WAIT_MS', () => {
  it('reads whole milliseconds, and leaves the default to the caller when unset', () => {
    const env = readEnv({ HOUSECAT_TEXT_WAIT_MS: '250', HOUSECAT_ELEMENT_WAIT_MS: '0' });
    expect(waitMs(env, 'HOUSECAT_TEXT_WAIT_MS')).toBe(250);
    expect(waitMs(env, 'HOUSECAT_ELEMENT_WAIT_MS')).toBe(0);
    expect(waitMs(readEnv({}), 'HOUSECAT_TEXT_WAIT_MS')).toBeUndefined();
  });

  it.each(['-1', '1.5', '5s'])('refuses "%s", naming the variable and the unit', (value) => {
    expect(() => readEnv({ HOUSECAT_TEXT_WAIT_MS: value })).toThrow(
      `HOUSECAT_TEXT_WAIT_MS is "${value}": set it to a whole number of milliseconds`,
    );
    expect(() => readEnv({ HOUSECAT_ELEMENT_WAIT_MS: value })).toThrow(ConfigError);
  });
});
