/**
 * The Action's `run` mode: runs the tests inline (a pull-request check against a preview), then
 * reports where reviewers look — the job summary, one PR comment updated in place, a check run —
 * and sets the outputs `passed`, `failed` and `results`.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { createRunAdapters, environmentFacts } from '../adapters/compose.js';
import { DEFAULT_CONFIG_PATH, loadDefinitionsFile } from '../adapters/definitions-file.js';
import { type HouseCatEnv, readEnv, readSecrets } from '../adapters/env.js';
import type { ReportLogger } from '../adapters/github/pull-request.js';
import { type RunSuiteResult, runSuite } from '../app/run-suite.js';
import { ConfigError, formatDiagnostic } from '../core/errors.js';
import { createProgressReporter } from '../core/report/progress.js';
import { type CiEvent, interpretEvent, originOf, parseOnly } from '../core/run/index.js';
import type { TestDefinition } from '../core/types.js';
import { type ActionInputs, booleanInput } from './inputs.js';
import { reportRun, setOutputs } from './run-report.js';

type GitHubContext = typeof import('@actions/github')['context'];

/** The step's settings: its inputs, over the job's environment, read once. */
interface RunSettings {
  /** The job's environment with the step's key inputs laid over it. */
  rawEnv: NodeJS.ProcessEnv;
  env: HouseCatEnv;
  event: CiEvent;
  failOnError: boolean;
  skipWithoutKey: boolean;
  comment: boolean;
  token?: string;
  repo: string;
  only: ReturnType<typeof parseOnly>;
  concurrency?: number;
}

function concurrencyInput(inputs: ActionInputs): number | undefined {
  const raw = inputs.concurrency ?? '';
  if (raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 32) {
    throw new ConfigError(`input "concurrency" is "${raw}": use a whole number from 1 to 32`);
  }
  return value;
}

/** Runs the `run` mode. Throws ConfigError for bad inputs; sets the step failed when a test failed. */
export async function runMode(inputs: ActionInputs): Promise<void> {
  const github = await import('@actions/github');
  const { context } = github;
  const settings = settingsOf(inputs, context);
  const { event } = settings;
  if (event.nothingToTest) {
    core.notice(`HouseCat: ${event.nothingToTest}`);
    setOutputs([], []);
    return;
  }
  const baseUrl = inputs['base-url'] || baseUrlFromEvent(event);
  if (!baseUrl && context.eventName === 'deployment_status') {
    core.warning(
      'HouseCat: this deployment_status event has no environment_url or target_url — testing the URLs in the definitions file. Set input base-url to test the deployment.',
    );
  }
  const tests = await loadOrAnnotate(resolve(inputs.config || DEFAULT_CONFIG_PATH), settings.repo);
  const logger: ReportLogger = {
    info: core.info,
    warn: core.warning,
    error: core.error,
    debug: core.debug,
    notice: core.notice,
  };
  const run = await runTests(settings, tests, baseUrl, logger);
  if (!run) return;
  await reportRun(run, {
    github,
    env: settings.env,
    event,
    logger,
    repo: settings.repo,
    ...(settings.token ? { token: settings.token } : {}),
    comment: settings.comment,
    failOnError: settings.failOnError,
    skipWithoutKeyInput: inputs['skip-without-key'],
  });
}

/** Reads the step's inputs and the job's environment; throws ConfigError for a bad input. */
function settingsOf(inputs: ActionInputs, context: GitHubContext): RunSettings {
  // Inputs given to the step win over the job's environment (secrets are masked by main.ts).
  const rawEnv: NodeJS.ProcessEnv = { ...process.env };
  if (inputs['anthropic-api-key']) rawEnv.ANTHROPIC_API_KEY = inputs['anthropic-api-key'];
  if (inputs['upstash-redis-url']) rawEnv.UPSTASH_REDIS_REST_URL = inputs['upstash-redis-url'];
  if (inputs['upstash-redis-token']) rawEnv.UPSTASH_REDIS_REST_TOKEN = inputs['upstash-redis-token'];
  const env = readEnv(rawEnv);
  const event = interpretEvent(context.eventName, context.payload, context.ref, context.sha);
  const failOnError = booleanInput(inputs, 'fail-on-error', false);
  // Pull requests from forks and from Dependabot get no secrets: a missing key there is expected.
  const skipWithoutKey = booleanInput(inputs, 'skip-without-key', context.eventName === 'pull_request');
  const comment = booleanInput(inputs, 'comment', true);
  const token = inputs['github-token'] || env.GITHUB_TOKEN;
  const repo = inputs.repo || env.GITHUB_REPOSITORY || `${context.repo.owner}/${context.repo.repo}`;
  const only = parseOnly(inputs.only);
  const concurrency = concurrencyInput(inputs);
  return {
    rawEnv,
    env,
    event,
    failOnError,
    skipWithoutKey,
    comment,
    repo,
    only,
    ...(token ? { token } : {}),
    ...(concurrency ? { concurrency } : {}),
  };
}

/** The file's tests; every problem becomes an annotation on its line, then a ConfigError. */
async function loadOrAnnotate(configPath: string, repo: string): Promise<TestDefinition[]> {
  const loaded = await loadDefinitionsFile(configPath, repo);
  if (loaded.ok) return loaded.tests;
  for (const d of loaded.diagnostics) {
    core.error(d.message, {
      file: d.file,
      startLine: d.line,
      startColumn: d.column,
      title: d.path || 'housecat.yml',
    });
  }
  throw new ConfigError(
    `${loaded.diagnostics.length} problem(s) in ${configPath}:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`,
  );
}

/**
 * Runs the tests with the Action's hints (inputs and secrets named as a workflow sets them).
 * Null after a configuration problem found before any test ran: the step failed with exit 2, as
 * `housecat run` does.
 */
async function runTests(
  settings: RunSettings,
  tests: TestDefinition[],
  baseUrl: string | undefined,
  logger: ReportLogger,
): Promise<RunSuiteResult | null> {
  const { env, event } = settings;
  const pr = event.pullRequest;
  const secretNames = [...new Set(tests.flatMap((t) => t.secrets))];
  const secrets = readSecrets(secretNames, settings.rawEnv).values;
  const adapters = createRunAdapters(env, { logger });
  try {
    return await runSuite(
      { agent: adapters.agent, store: adapters.store, logger },
      {
        tests,
        only: settings.only,
        onlyLabel: 'input only',
        ...(baseUrl ? { baseUrl, baseUrlLabel: 'input base-url' } : {}),
        ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
        source: event.source,
        environment: {
          ...environmentFacts(env),
          fork: pr?.fork === true,
          skipWithoutKey: settings.skipWithoutKey,
          keyHint: {
            anthropic: 'the input anthropic-api-key (from the secret ANTHROPIC_API_KEY)',
            tinyfish: 'TINYFISH_API_KEY in the step env (from a repository secret)',
          },
          skipHint: 'set the input skip-without-key: true to report their AI part as skipped',
          secretsSet: new Set(Object.keys(secrets)),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, shown to the user
          secretHint: '{name} in the step env (env: {name}: ${{ secrets.{name} }})',
        },
        secrets,
        reporter: createProgressReporter({ write: (t) => process.stdout.write(t), tty: false }),
        ...(pr?.baseBranch ? { baseBranch: pr.baseBranch } : {}),
      },
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    core.setFailed(error.message);
    process.exitCode = 2;
    return null;
  } finally {
    await adapters.close();
  }
}

function baseUrlFromEvent(event: CiEvent): string | undefined {
  if (!event.deploymentUrl) return undefined;
  const origin = originOf(event.deploymentUrl);
  if (!origin) {
    throw new ConfigError(
      `the deployment_status event's URL ${JSON.stringify(event.deploymentUrl)} is not an http(s) URL — set input base-url`,
    );
  }
  return origin;
}
