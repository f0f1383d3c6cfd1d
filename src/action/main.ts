/**
 * The Action: reads its inputs once, masks every secret, and dispatches on `mode`.
 *
 * Modes are loaded lazily from the table below, so a mode's dependencies (and
 * `@actions/github`, whose `context` reads the environment at import time) load only when used.
 */
import * as core from '@actions/core';
import { HouseCatError } from '../core/errors.js';

/** Every input declared in action.yml. Add a mode's inputs here. */
export const INPUT_NAMES = [
  'mode',
  'config',
  'repo',
  'callback-url',
  'upstash-redis-url',
  'upstash-redis-token',
  'qstash-token',
  'qstash-url',
  'dry-run',
  // run mode (src/action/run-mode.ts)
  'base-url',
  'only',
  'concurrency',
  'anthropic-api-key',
  'fail-on-error',
  'comment',
  'github-token',
] as const;

/** Inputs whose values are secrets: masked in the log before anything else happens. */
export const SECRET_INPUTS = [
  'upstash-redis-token',
  'qstash-token',
  'anthropic-api-key',
  'github-token',
] as const;

export type ActionInputs = Readonly<Record<string, string>>;

/** A mode receives the inputs read once by {@link run}. */
export type ModeHandler = (inputs: ActionInputs) => Promise<void>;

/**
 * The mode table. `run` (the runner's src/action/run-mode.ts) registers itself here with one line:
 *   run: () => import('./run-mode.js').then((m) => m.runMode),
 */
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

/**
 * Reads an input. The composite step passes inputs as `INPUT_<NAME>` with `-` turned into `_`
 * (the portable spelling of an environment variable); a JavaScript-action runner would use `-`.
 */
function readInput(name: string): string {
  return (core.getInput(name) || core.getInput(name.replaceAll('-', '_'))).trim();
}

/** Reads every declared input once. */
export function readInputs(names: readonly string[] = INPUT_NAMES): ActionInputs {
  const inputs: Record<string, string> = {};
  for (const name of names) inputs[name] = readInput(name);
  for (const name of SECRET_INPUTS) if (inputs[name]) core.setSecret(inputs[name]);
  return inputs;
}

/** The Action's entry point. Never throws: failures end in `core.setFailed` with a clear message. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const mode = inputs.mode || 'sync';
    const load = MODES[mode];
    if (load === undefined) {
      const known = ['sync', 'run'];
      if (known.includes(mode)) {
        throw new HouseCatError(
          `${mode} mode is not available in this build of HouseCat — update the Action's version`,
        );
      }
      throw new HouseCatError(`input "mode" is "${mode}": use one of ${known.join(', ')}`);
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
