/**
 * The `housecat` command: dispatches to sub-commands and maps errors to the exit codes of
 * exit-codes.ts (the one table every command follows).
 */
import { ConfigError, HouseCatError, ServiceError } from '../core/errors.js';
import { EXIT, exitCodeHelp } from './exit-codes.js';
import { type CliIo, type Command, processIo, UsageError } from './io.js';

/** A command as `housecat --help` lists it; its code is loaded only when it runs. */
interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every command, in the order `--help` lists them. Register new commands here. Loading is lazy so
 * that `housecat validate` does not pay for Chromium's driver, Probot or the SDKs.
 */
export const commands: CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check a definitions file and report every problem at once',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  {
    name: 'run',
    summary: 'run the tests now (optionally against a preview URL) and report the results',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  {
    name: 'sync',
    summary: 'make Redis and QStash schedules match the definitions file',
    load: async () => (await import('./commands/sync.js')).syncCommand,
  },
  {
    name: 'lateness',
    summary: 'show p50/p95 lateness of scheduled runs per test',
    load: async () => (await import('./commands/lateness.js')).latenessCommand,
  },
  {
    name: 'cost',
    summary: 'estimate what the tests cost a month on Upstash Redis and QStash',
    load: async () => (await import('./commands/cost.js')).costCommand,
  },
  {
    name: 'up',
    summary: 'monitor the tests on their schedules on this machine: no account needed',
    load: async () => (await import('./commands/up.js')).upCommand,
  },
  {
    name: 'serve',
    summary: 'run the HouseCat GitHub App (scheduled runs, incidents as issues)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  {
    name: 'notify',
    summary: 'send a test alert over a channel (Slack, Discord, Teams, webhook, email)',
    load: async () => (await import('./commands/notify.js')).notifyCommand,
  },
  {
    name: 'rollup',
    summary: 'rebuild the hourly rollups behind status pages from stored results',
    load: async () => (await import('./commands/rollup.js')).rollupCommand,
  },
  {
    name: 'replay',
    summary: 'show or clear the replay scripts that let goal tests run without the model',
    load: async () => (await import('./commands/replay.js')).replayCommand,
  },
];

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
    'Exit status (the same for every command):',
    exitCodeHelp(),
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
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`housecat: unknown command "${name}" — commands: ${commands.map((c) => c.name).join(', ')}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  try {
    const code = await command.run(rest, io);
    // A command that finished its work after Ctrl-C (validate, sync) still reports the interruption;
    // `serve` treats Ctrl-C as its normal way to stop.
    return io.signal?.aborted && command.name !== 'serve' && code !== EXIT.usage ? EXIT.interrupted : code;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`housecat ${command.name}: ${error.message.replace(/^housecat \S+: /, '')}`);
      const diagnostics = error instanceof ConfigError ? error.diagnostics : [];
      for (const d of diagnostics) {
        io.stderr(`  ${d.file}:${d.line}:${d.column}: ${d.path ? `${d.path}: ` : ''}${d.message}`);
      }
      // Problems located in a definitions file are "the definitions are invalid" (1), like validate.
      return diagnostics.length > 0 ? EXIT.failed : EXIT.usage;
    }
    if (error instanceof ServiceError) {
      io.stderr(`housecat ${command.name}: ${error.message}`);
      return EXIT.service;
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
