/**
 * Report files (`--json`, `--junit`): written whole or not at all, and a path that cannot be written
 * is a one-line error naming the path and the cause, never a stack trace.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** Short causes for the errors people actually meet, instead of Node's `EISDIR: illegal op…`. */
const CAUSES: Record<string, string> = {
  EISDIR: 'it is a directory — give a file name, e.g. report.json',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENOENT: 'cannot create a file in that folder',
};

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder, then a rename, so a
 * reader never sees half a report. On failure the temporary file is removed and a ConfigError
 * (exit 2) names the report, the path and the cause.
 */
export async function writeReportFile(path: string, content: string, what = 'report'): Promise<void> {
  // Same folder as the target: rename is atomic only within one file system.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const cause = CAUSES[code] ?? (error as Error).message.split('\n')[0];
    throw new ConfigError(`cannot write the ${what} to ${path}: ${cause}${code ? ` (${code})` : ''}`);
  }
}
