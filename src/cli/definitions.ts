/**
 * Loading the definitions file for a command: resolves the repository and the path the same way
 * for every command, so `validate`, `run` and `sync` agree on ids and on what "the file" is.
 */
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_PATH, loadDefinitionsFile } from '../adapters/definitions-file.js';
import { allowPrivateNetwork, type HouseCatEnv } from '../adapters/env.js';
import type { ParseOutcome } from '../core/config/parse.js';
import { formatDiagnostic } from '../core/errors.js';
import type { CliIo } from './io.js';
import { detectRepo } from './repo.js';

export interface LoadedDefinitions {
  repo: string;
  /** Absolute path of the file. */
  path: string;
  /** The path as the user gave it (or the default), for messages. */
  shownPath: string;
  outcome: ParseOutcome;
}

/** Resolves `--repo` and `--config` and loads the file (a missing file throws a ConfigError). */
export async function loadForCommand(
  io: CliIo,
  env: HouseCatEnv,
  flags: { config?: string; repo?: string },
): Promise<LoadedDefinitions> {
  const repo = detectRepo({ flag: flags.repo, githubRepository: env.GITHUB_REPOSITORY, cwd: io.cwd });
  const shownPath = flags.config ?? DEFAULT_CONFIG_PATH;
  const path = resolve(io.cwd, shownPath);
  return { repo, path, shownPath, outcome: await loadDefinitionsFile(path, repo) };
}

/** Prints every problem as `FILE:LINE:COL: PATH: message`, then one line saying what happens next. */
export function reportDiagnostics(
  io: CliIo,
  outcome: Extract<ParseOutcome, { ok: false }>,
  consequence: string,
): void {
  for (const diagnostic of outcome.diagnostics) io.stderr(formatDiagnostic(diagnostic));
  const n = outcome.diagnostics.length;
  io.stderr(`${n} problem${n === 1 ? '' : 's'} found — ${consequence}`);
}

/**
 * Prints a valid file's warnings (test targets on private addresses) as
 * `warning: FILE:LINE:COL: PATH: message`. They change no exit status. With
 * HOUSECAT_ALLOW_PRIVATE_NETWORK on, the user has said these targets are meant: nothing is printed.
 */
export function reportWarnings(
  io: CliIo,
  env: HouseCatEnv,
  outcome: Extract<ParseOutcome, { ok: true }>,
): void {
  if (allowPrivateNetwork(env)) return;
  for (const warning of outcome.warnings) io.stderr(`warning: ${formatDiagnostic(warning)}`);
}
