import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './tests/support/slow-first-sequencer.js';

/**
 * Test files that change nothing process-wide (environment, working directory, signal handlers,
 * module state): they share their worker and its module cache instead of each starting a fresh
 * process and importing the app again, about a second a file on this machine (tests/core: 45 s ->
 * 14 s). Each group was run twice in shuffled order this way. A file not listed here, such as every
 * new one, keeps a process of its own.
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
  'tests/bot/{command-budget,config,incident-lock,metrics,public-cache,readiness,redis-outage,retried-claim}.test.ts',
  'tests/bot/{run-slots,scheduling,status-history,status-lateness,up-access,up-missed,up-parity}.test.ts',
  'tests/bot/{watchdog,web-limits,web-routes,webhooks}.test.ts',
  'tests/cli/{cost,dot-env-write,lateness,private-url-warning,sync-settings-first,sync-spread,up}.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Three workers on two cores: a third of the suite's file time is spent waiting (a real cron
    // minute, a killed process's lease, a slow page), so a third worker fills it; measured in
    // BENCHMARKS.md ("The test suite"). More would only fight over Chromium and redis-server.
    maxWorkers: 3,
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
