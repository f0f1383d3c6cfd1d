/**
 * The `.env` file `housecat serve` reads from its working folder, as Probot apps and compose setups
 * expect. The environment wins: a variable already set (by the shell, systemd or the container host)
 * is never replaced by the file, so one `.env` can hold defaults that a deployment overrides.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../core/errors.js';

export interface DotEnv {
  /** The environment with the file's settings added under it. */
  env: NodeJS.ProcessEnv;
  /** The file read, or null when the folder has none. */
  file: string | null;
  /** Names taken from the file. */
  added: string[];
  /** Names in the file that the environment already set (its value was kept). */
  kept: string[];
}

/**
 * Adds the settings of `{cwd}/.env` to `env` without replacing any set there. Values are never
 * returned in messages: the file holds the app's private key and secrets.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd: string): DotEnv {
  const file = join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { env, file: null, added: [], kept: [] };
    throw new ConfigError(
      `cannot read ${file}: ${(error as Error).message} — fix its permissions, or remove it and set the variables in the environment.`,
    );
  }
  const parsed = parseEnv(text);
  const added: string[] = [];
  const kept: string[] = [];
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    if (env[name] !== undefined) kept.push(name);
    else {
      merged[name] = value;
      added.push(name);
    }
  }
  return { env: merged, file, added, kept };
}

/** The start-up line saying what came from the file (names only). */
export function describeDotEnv(dotEnv: DotEnv): string | null {
  if (dotEnv.file === null) return null;
  const kept =
    dotEnv.kept.length > 0 ? `; already set in the environment, kept: ${dotEnv.kept.join(', ')}` : '';
  return `settings from ${dotEnv.file}: ${dotEnv.added.length} read${kept}`;
}
