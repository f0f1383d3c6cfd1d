/**
 * `housecat run`: runs the tests of a definitions file now, with live progress and a results table.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createRunAdapters, environmentFacts } from '../../adapters/compose.js';
import { DEFAULT_CONFIG_PATH } from '../../adapters/definitions-file.js';
import { type HouseCatEnv, readEnv, readSecrets } from '../../adapters/env.js';
import { replayDirFor } from '../../adapters/store/index.js';
import { type RunSuiteResult, runSuite } from '../../app/run-suite.js';
import type { Logger } from '../../core/ports.js';
import { renderJUnit, renderTable, toJsonReport } from '../../core/report/index.js';
import { createProgressReporter } from '../../core/report/progress.js';
import { DEFAULT_CONCURRENCY, parseOnly } from '../../core/run/index.js';
import type { RunSource, TestDefinition } from '../../core/types.js';
import { intFlag, parseFlags } from '../args.js';
import { loadForCommand, reportDiagnostics } from '../definitions.js';
import { exitCodeHelp } from '../exit-codes.js';
import { type CliIo, type Command, EXIT, UsageError } from '../io.js';
import { writeReportFile } from '../report-file.js';

const help = `Usage: housecat run [--config PATH] [--repo OWNER/NAME] [--base-url URL] [--only ID,...]
                    [--concurrency N] [--json PATH] [--junit PATH] [--fail-on-error]
                    [--skip-without-key] [--no-replay]

Runs the tests of a definitions file now and prints a results table.

Options:
  -c, --config PATH      definitions file (default: ${DEFAULT_CONFIG_PATH})
      --repo OWNER/NAME  repository the tests belong to, for their ids
                         (default: GITHUB_REPOSITORY, else the git remote "origin")
      --base-url URL     run against this origin instead (a preview deployment): replaces
                         scheme, host and port of every test URL, keeps path and query
      --only ID,...      run only these tests (slugs from the file, or full ids)
      --concurrency N    tests run at once, sharing one browser (default ${DEFAULT_CONCURRENCY})
      --json PATH        write the results as JSON (shape: docs/run.md)
      --junit PATH       write the results as JUnit XML
      --fail-on-error    exit 1 also when a test is inconclusive ("error")
      --skip-without-key report AI goals as skipped when their API key is unset, instead
                         of stopping before any test with exit 2; their \`expect\` checks
                         still run
      --no-replay        call the model for every goal test even where a replay
                         script exists (e.g. on the PR that changes the UI); a
                         passing run still records a new script
  -h, --help             show this help

Environment: ANTHROPIC_API_KEY (goal tests), each name a test lists under \`secrets:\`
(unset: exit 2 before any test runs), HOUSECAT_ALLOW_PRIVATE_NETWORK=1 (to test
localhost or private addresses), UPSTASH_REDIS_REST_URL/TOKEN or REDIS_URL (record the
results like scheduled runs, and keep replay scripts there; optional — without it,
scripts live in .housecat/replay/ next to the definitions file).

Ctrl-C stops the run: the table shows what finished, the rest is skipped, exit 130.

Exit status:
${exitCodeHelp()}`;

function git(cwd: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** Where the run comes from: the CLI, on the checked-out branch and commit when there is one. */
function cliSource(cwd: string): RunSource {
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  return {
    kind: 'cli',
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(commit ? { commit } : {}),
  };
}

/** The flags that shape the run itself. */
interface RunFlags {
  'base-url'?: string;
  only?: string;
  'skip-without-key'?: boolean;
  'no-replay'?: boolean;
}

/** Runs the tests with live progress, the adapters closed after (replay scripts beside the file). */
async function runTests(
  io: CliIo,
  env: HouseCatEnv,
  run: {
    tests: TestDefinition[];
    configPath: string;
    source: RunSource;
    concurrency: number;
    flags: RunFlags;
  },
): Promise<RunSuiteResult> {
  const { flags } = run;
  const reporter = createProgressReporter({
    write: (text) => io.stdout(text),
    tty: io.isTTY,
    columns: process.stdout.columns ?? 100,
    color: io.isTTY,
  });
  const logger: Logger = { info: io.stdout, warn: (m) => io.stderr(`warning: ${m}`), error: io.stderr };
  const secretNames = [...new Set(run.tests.flatMap((t) => t.secrets))];
  const secrets = readSecrets(secretNames, io.env).values;
  const adapters = createRunAdapters(env, { logger, replayDir: replayDirFor(dirname(run.configPath)) });
  try {
    return await runSuite(
      { agent: adapters.agent, store: adapters.store, logger },
      {
        tests: run.tests,
        only: parseOnly(flags.only),
        ...(flags['base-url'] ? { baseUrl: flags['base-url'] } : {}),
        concurrency: run.concurrency,
        source: run.source,
        environment: {
          ...environmentFacts(env, io.env.PATH ?? ''),
          skipWithoutKey: flags['skip-without-key'] === true,
          skipHint: 'pass --skip-without-key to report their AI part as skipped',
          secretsSet: new Set(Object.keys(secrets)),
        },
        secrets,
        reporter,
        ...(flags['no-replay'] ? { replay: false } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      },
    );
  } finally {
    await adapters.close();
  }
}

/** The results table, then the JSON and JUnit files asked for. */
async function report(
  io: CliIo,
  ran: RunSuiteResult,
  source: RunSource,
  flags: { json?: string; junit?: string },
): Promise<void> {
  const { outcome, tests, startedAt, baseUrl } = ran;
  io.stdout(
    `\n${renderTable(outcome.results, tests, outcome.durationMs, { width: process.stdout.columns ?? 120, color: io.isTTY })}`,
  );
  const meta = { startedAt, durationMs: outcome.durationMs, ...(baseUrl ? { baseUrl } : {}), source };
  if (flags.json) {
    const file = resolve(io.cwd, flags.json);
    await writeReportFile(
      file,
      `${JSON.stringify(toJsonReport(outcome.results, tests, meta), null, 2)}\n`,
      'JSON report',
    );
    io.stdout(`JSON report: ${file}`);
  }
  if (flags.junit) {
    const file = resolve(io.cwd, flags.junit);
    await writeReportFile(file, renderJUnit(outcome.results, tests, meta), 'JUnit report');
    io.stdout(`JUnit report: ${file}`);
  }
}

/** The exit status: interrupted, failed (or inconclusive with --fail-on-error), or ok. */
function verdict(io: CliIo, ran: RunSuiteResult, failOnError: boolean): number {
  if (io.signal?.aborted) {
    io.stderr(
      'housecat run: interrupted — tests not started were reported as skipped; the run does not count as passed',
    );
    return EXIT.interrupted;
  }
  const { failed, error } = ran.outcome.counts;
  if (error > 0 && !failOnError && failed === 0) {
    io.stdout(
      `${error} inconclusive result(s) — not counted as failures (use --fail-on-error to change that)`,
    );
  }
  return failed > 0 || (failOnError && error > 0) ? EXIT.failed : EXIT.ok;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the tests now (optionally against a preview URL) and report the results',
  help,
  async run(args, io) {
    const { values } = parseFlags('run', args, {
      config: { type: 'string', short: 'c' },
      repo: { type: 'string' },
      'base-url': { type: 'string' },
      only: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'string' },
      junit: { type: 'string' },
      'fail-on-error': { type: 'boolean' },
      'skip-without-key': { type: 'boolean' },
      'no-replay': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(help);
      return EXIT.ok;
    }
    const concurrency = intFlag('run', 'concurrency', values.concurrency, 1, 32) ?? DEFAULT_CONCURRENCY;
    const env = readEnv(io.env);
    if (values.only !== undefined && parseOnly(values.only).length === 0) {
      throw new UsageError(
        '--only is empty — name the tests to run (e.g. --only login-flow), or leave --only out to run them all',
      );
    }
    const { outcome: loaded, path: configPath } = await loadForCommand(io, env, values);
    if (!loaded.ok) {
      reportDiagnostics(io, loaded, 'no test was run; fix the file and run again');
      return EXIT.failed;
    }
    const source = cliSource(io.cwd);
    const ran = await runTests(io, env, {
      tests: loaded.tests,
      configPath,
      source,
      concurrency,
      flags: values,
    });
    await report(io, ran, source, values);
    return verdict(io, ran, values['fail-on-error'] === true);
  },
};
