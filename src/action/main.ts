/**
 * The Action: reads its inputs once, masks every secret, and dispatches on `mode`.
 *
 * Modes are loaded lazily from the table below, so a mode's dependencies (and
 * `@actions/github`, whose `context` reads the environment at import time) load only when used.
 */
import * as core from '@actions/core';
import { HouseCatError } from '../core/errors.js';
import { type ModeHandler, readInputs } from './inputs.js';

export { type ActionInputs, INPUT_NAMES, readInputs, SECRET_INPUTS } from './inputs.js';

/** The mode table: each mode is loaded only when used. */
export const MODES: Record<string, () => Promise<ModeHandler>> = {
  sync: () => import('./sync-mode.js').then((m) => m.syncMode),
  run: async () => {
    // Every test of a run opens the browser: a missing or broken playwright-core fails the step
    // here, with its fix, instead of turning each test into an inconclusive result.
    const { loadPlaywright } = await import('../adapters/browser/load-playwright.js');
    await loadPlaywright();
    return import('./run-mode.js').then((m) => m.runMode);
  },
};

/** The Action's entry point. Never throws: failures end in `core.setFailed` with a clear message. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const mode = inputs.mode || 'sync';
    const load = MODES[mode];
    if (load === undefined) {
      throw new HouseCatError(`input "mode" is "${mode}": use one of ${Object.keys(MODES).join(', ')}`);
    }
    const handler = await load();
    await handler(inputs);
  } catch (error) {
    if (error instanceof HouseCatError) core.setFailed(error.message);
    else
      core.setFailed(
        `HouseCat failed unexpectedly — please report this with the log: ${(error as Error).stack ?? String(error)}`,
      );
  }
}
