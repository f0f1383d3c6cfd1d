import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './tests/support/slow-first-sequencer.js';

/**
 * Test files that run in-process only (no browser, no child process, no module-level state they
 * change): they share their worker's module cache instead of each starting a fresh process, which
 * costs about a second a file on this machine (tests/core alone: 45 s -> 14 s).
 */
const SHARED_WORKER = [
  'tests/architecture.test.ts',
  'tests/core/**/*.test.ts',
  'tests/app/**/*.test.ts',
  'tests/support/**/*.test.ts',
  'tests/web/**/*.test.ts',
  'tests/adapters/{store,github,log,net,notify,qstash}/**/*.test.ts',
  'tests/bot/dashboard/**/*.test.ts',
  'tests/cli/commands/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over Chromium and redis-server.
    maxWorkers: 2,
    reporters: ['default'],
    // The slowest files first, also on a fresh clone with no results cache (see the sequencer).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      { extends: true, test: { name: 'shared-worker', include: SHARED_WORKER, isolate: false } },
      {
        extends: true,
        test: { name: 'own-process', include: ['tests/**/*.test.ts'], exclude: SHARED_WORKER },
      },
    ],
  },
});
