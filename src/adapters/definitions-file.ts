/**
 * Reads a definitions file from disk and parses it. The only file-system access of the config path.
 */
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXAMPLE_URL, MAX_FILE_BYTES, type ParseOutcome, parseDefinitions } from '../core/config/parse.js';
import { ConfigError } from '../core/errors.js';

/** Default location of the definitions file, relative to the repository root. */
export const DEFAULT_CONFIG_PATH = '.github/housecat.yml';

/**
 * Loads and validates `path` for `repo`. Problems in the file (an oversized one included) come back
 * as diagnostics; a missing or unreadable file throws a {@link ConfigError} that names the path it
 * looked at.
 */
export async function loadDefinitionsFile(path: string, repo: string): Promise<ParseOutcome> {
  const absolute = resolve(path);
  const shown = relative(process.cwd(), absolute) || path;
  let size: number;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw new ConfigError(`${shown} is a directory — pass the path of the YAML file`);
    size = info.size;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(
        `no definitions file at ${absolute} — create ${DEFAULT_CONFIG_PATH} (an example with every field: ${EXAMPLE_URL}) or pass --config PATH`,
      );
    }
    throw new ConfigError(`cannot read ${absolute}: ${(error as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) {
    // A problem with the file's content like any other (exit 1), found without reading it.
    const message = `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB — split it or remove generated content`;
    return { ok: false, diagnostics: [{ file: shown, line: 1, column: 1, path: '', message }] };
  }
  const source = await readFile(absolute, 'utf8');
  return parseDefinitions(source, { file: shown, repo });
}
