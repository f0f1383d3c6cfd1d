/**
 * The Action's inputs in one place: the list (tied to action.yml by tests/action/inputs.test.ts),
 * reading and masking them once, one boolean parser, and one job-summary writer for every mode.
 */
import * as core from '@actions/core';
import { ConfigError } from '../core/errors.js';

/** Every input declared in action.yml, in its order. */
export const INPUT_NAMES = [
  'mode',
  'config',
  'repo',
  'callback-url',
  'upstash-redis-url',
  'upstash-redis-token',
  'qstash-token',
  'qstash-url',
  'watchdog-minutes',
  'dry-run',
  'base-url',
  'only',
  'concurrency',
  'anthropic-api-key',
  'skip-without-key',
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

/** A mode receives the inputs read once by main.ts. */
export type ModeHandler = (inputs: ActionInputs) => Promise<void>;

/**
 * Reads an input. The composite step passes inputs as `INPUT_<NAME>` with `-` turned into `_`
 * (the portable spelling of an environment variable); a JavaScript-action runner would use `-`.
 */
function readInput(name: string): string {
  return (core.getInput(name) || core.getInput(name.replaceAll('-', '_'))).trim();
}

/** Reads every declared input once and masks the secret ones. */
export function readInputs(names: readonly string[] = INPUT_NAMES): ActionInputs {
  const inputs: Record<string, string> = {};
  for (const name of names) inputs[name] = readInput(name);
  for (const name of SECRET_INPUTS) if (inputs[name]) core.setSecret(inputs[name]);
  return inputs;
}

const TRUE_WORDS = ['true', 'on', 'yes', '1'];
const FALSE_WORDS = ['false', 'off', 'no', '0'];

/** A boolean input: empty gives `fallback`; anything but the usual true/false words is refused. */
export function booleanInput(inputs: ActionInputs, name: string, fallback: boolean): boolean {
  const raw = (inputs[name] ?? '').toLowerCase();
  if (raw === '') return fallback;
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  throw new ConfigError(`input "${name}" is "${inputs[name]}": use true or false (on/off, yes/no, 1/0)`);
}

/**
 * Writes the job summary. `core.summary.write()` throws without GITHUB_STEP_SUMMARY (act, other
 * runners): then the log gets the markdown instead, in every mode.
 */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.summary.emptyBuffer();
    core.info(markdown);
    core.debug(`job summary not written: ${(error as Error).message}`);
  }
}
