import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './tests/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over Chromium and redis-server.
    maxWorkers: 2,
    reporters: ['default'],
    // The slowest files first, also on a fresh clone with no results cache (see the sequencer).
    sequence: { sequencer: SlowFirstSequencer },
  },
});
