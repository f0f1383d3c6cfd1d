import { describe, expect, it } from 'vitest';
import { allowPrivateNetwork, readEnv } from '../../src/adapters/env.js';
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
