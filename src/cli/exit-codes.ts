/**
 * The exit codes of every `housecat` command, in one table. `housecat --help`, the README and the
 * tests (tests/cli/exit-codes.test.ts runs one case per row) are all generated from or checked
 * against this table, so a new code cannot go undocumented or untested.
 */

/** One row: the code, its name in code, and what it means for a user or a CI job. */
export interface ExitCodeRow {
  code: number;
  name: 'ok' | 'failed' | 'usage' | 'service' | 'interrupted';
  meaning: string;
}

/**
 * A service being down (Redis, QStash, GitHub unreachable or answering 5xx) has its own code, 3,
 * rather than sharing 2 with usage errors: 2 means "fix your command or your settings", while 3
 * means "nothing to fix here, run it again later" — a CI job can retry on 3 and only on 3.
 */
export const EXIT_CODES: readonly ExitCodeRow[] = [
  { code: 0, name: 'ok', meaning: 'success: every test passed or was skipped, the file is valid, synced' },
  {
    code: 1,
    name: 'failed',
    meaning: 'a test failed (or was inconclusive, with --fail-on-error), or the definitions file is invalid',
  },
  {
    code: 2,
    name: 'usage',
    meaning:
      'usage or environment error: a bad flag, a missing file or setting, a report file that cannot be written',
  },
  {
    code: 3,
    name: 'service',
    meaning: 'a service (Redis, QStash, GitHub) failed or could not be reached: safe to run again',
  },
  {
    code: 130,
    name: 'interrupted',
    meaning: 'interrupted (Ctrl-C); an interrupted run never counts as passed',
  },
];

/** Exit codes by name, e.g. `EXIT.failed`. */
export const EXIT = Object.fromEntries(EXIT_CODES.map((row) => [row.name, row.code])) as {
  readonly [K in ExitCodeRow['name']]: number;
};

/** The table as `--help` prints it: one aligned line per code. */
export function exitCodeHelp(indent = '  '): string {
  return EXIT_CODES.map((row) => `${indent}${String(row.code).padEnd(3)}  ${row.meaning}`).join('\n');
}
