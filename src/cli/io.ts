/**
 * What a command may touch of the outside world, passed in so commands run the same in a terminal,
 * in a child process and in a test.
 */
import { HouseCatError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { collapseSdkRetries } from './sdk-noise.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The process environment (commands turn it into a HouseCatEnv with readEnv). */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal: progress lines may be redrawn in place. */
  isTTY: boolean;
  /** Aborted on Ctrl-C so long runs can stop cleanly. */
  signal?: AbortSignal;
}

/** A mistake in how the command was called: exit code 2 and the command's usage. */
export class UsageError extends HouseCatError {
  override name = 'UsageError';
}

/** Exit codes shared by every command: the table lives in exit-codes.ts. */
export { EXIT };

/** One `housecat` sub-command. */
export interface Command {
  name: string;
  /** One line for `housecat --help`. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  const controller = new AbortController();
  collapseSdkRetries((warning) => process.stderr.write(`warning: ${warning}\n`));
  // First Ctrl-C: stop cleanly (commands see the signal, print what finished, close the browser).
  // A second one: stop now; exit handlers (playwright-core's among them) still kill the browser.
  process.on('SIGINT', () => {
    if (!controller.signal.aborted) controller.abort(new Error('interrupted (Ctrl-C)'));
    else {
      process.stderr.write('housecat: interrupted again — stopping now\n');
      process.exit(EXIT.interrupted);
    }
  });
  return {
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    signal: controller.signal,
  };
}
