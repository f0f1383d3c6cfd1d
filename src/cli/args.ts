/**
 * Flag parsing for every command: node's strict parseArgs, with its errors turned into usage errors
 * that name the flag and point at `--help`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` for `command`; unknown flags, missing values and stray arguments are usage errors. */
export function parseFlags<T extends Options>(
  command: string,
  args: string[],
  options: T,
  { positionals = false }: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: positionals,
    });
  } catch (error) {
    const message = (error as Error).message
      .replace(/^Unknown option '([^']+)'.*$/s, 'unknown flag $1')
      .replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`housecat ${command}: ${message} — see \`housecat ${command} --help\``);
  }
}

/** A whole number flag within bounds, e.g. `--concurrency 4`. */
export function intFlag(
  command: string,
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `housecat ${command}: --${flag} must be a whole number from ${min} to ${max}, not "${raw}"`,
    );
  }
  return value;
}
