/**
 * The `housecat` command: dispatches to sub-commands and maps errors to exit codes
 * (0 success, 1 a test or validation failed, 2 usage or configuration error).
 */
import { ConfigError, HouseCatError, ServiceError } from '../core/errors.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { syncCommand } from './commands/sync.js';
import { validateCommand } from './commands/validate.js';
import { type CliIo, type Command, EXIT, processIo, UsageError } from './io.js';

/** Every command, in the order `--help` lists them. Register new commands here. */
export const commands: Command[] = [validateCommand, runCommand, syncCommand, serveCommand];

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'HouseCat — end-to-end tests in plain English, run by an AI agent in CI and on a schedule.',
    '',
    'Usage: housecat <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `housecat <command> --help` for the options of a command.',
    'Exit status: 0 success, 1 a test or validation failed, 2 usage or configuration error.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(topHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('housecat 0.1.0');
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`housecat: unknown command "${name}" — commands: ${commands.map((c) => c.name).join(', ')}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`housecat ${command.name}: ${error.message.replace(/^housecat \S+: /, '')}`);
      for (const d of error instanceof ConfigError ? error.diagnostics : []) {
        io.stderr(`  ${d.file}:${d.line}:${d.column}: ${d.path ? `${d.path}: ` : ''}${d.message}`);
      }
      return EXIT.usage;
    }
    if (error instanceof ServiceError) {
      io.stderr(`housecat ${command.name}: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof HouseCatError) {
      io.stderr(`housecat ${command.name}: ${error.message}`);
      return EXIT.failed;
    }
    io.stderr(
      `housecat ${command.name}: unexpected error — please report it with this trace:\n${(error as Error).stack ?? error}`,
    );
    return EXIT.failed;
  }
}
