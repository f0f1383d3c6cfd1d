/**
 * The Action's `run` mode: runs the tests inline (a pull-request check against a preview), then
 * reports where reviewers look — the job summary, one PR comment updated in place, a check run —
 * and sets the outputs `passed`, `failed` and `results`.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { createRunAdapters, environmentFacts } from '../adapters/compose.js';
import { DEFAULT_CONFIG_PATH, loadDefinitionsFile } from '../adapters/definitions-file.js';
import { readEnv, readSecrets } from '../adapters/env.js';
import { uploadFailureArtifacts } from '../adapters/github/artifacts.js';
import { createCheckRun, type ReportLogger, upsertPrComment } from '../adapters/github/pull-request.js';
import { runSuite } from '../app/run-suite.js';
import { ConfigError, formatDiagnostic } from '../core/errors.js';
import { headline, renderPrComment, renderSummaryMarkdown, toJsonReport } from '../core/report/index.js';
import { createProgressReporter } from '../core/report/progress.js';
import { type CiEvent, FORK_REASON, interpretEvent, originOf, parseOnly } from '../core/run/index.js';
import type { RunResult, TestDefinition } from '../core/types.js';
import { type ActionInputs, booleanInput, writeSummary } from './inputs.js';

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
  const { context, getOctokit } = await import('@actions/github');
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
  const onlyInput = parseOnly(inputs.only);
  const concurrency = concurrencyInput(inputs);

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

  const configPath = resolve(inputs.config || DEFAULT_CONFIG_PATH);
  const loaded = await loadDefinitionsFile(configPath, repo);
  if (!loaded.ok) {
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

  const pr = event.pullRequest;
  const logger: ReportLogger = {
    info: core.info,
    warn: core.warning,
    error: core.error,
    debug: core.debug,
    notice: core.notice,
  };
  const baselineBranch = pr?.baseBranch;
  const secretNames = [...new Set(loaded.tests.flatMap((t) => t.secrets))];
  const secrets = readSecrets(secretNames, rawEnv).values;
  const adapters = createRunAdapters(env, { logger });
  let run: Awaited<ReturnType<typeof runSuite>>;
  try {
    run = await runSuite(
      { agent: adapters.agent, store: adapters.store, logger },
      {
        tests: loaded.tests,
        only: onlyInput,
        onlyLabel: 'input only',
        ...(baseUrl ? { baseUrl, baseUrlLabel: 'input base-url' } : {}),
        ...(concurrency ? { concurrency } : {}),
        source: event.source,
        environment: {
          ...environmentFacts(env),
          fork: pr?.fork === true,
          skipWithoutKey,
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
        ...(baselineBranch ? { baseBranch: baselineBranch } : {}),
      },
    );
  } catch (error) {
    // A configuration problem found before any test ran: exit 2, as `housecat run` does.
    if (!(error instanceof ConfigError)) throw error;
    core.setFailed(error.message);
    process.exitCode = 2;
    return;
  } finally {
    await adapters.close();
  }
  const { outcome, tests, baseline } = run;
  const { failed, error } = outcome.counts;
  const notes: string[] = [];
  if (pr?.fork && run.skippedAi.size > 0)
    notes.push(`AI goals were skipped: ${FORK_REASON}. Deterministic checks still ran.`);
  else if (run.skippedAi.size > 0)
    notes.push(
      `AI goals were skipped: ${[...new Set(run.skippedAi.values())].join('; ')} (skip-without-key is ${inputs['skip-without-key'] ? 'on' : 'on for pull requests, which get no secrets from forks or Dependabot'}). Deterministic checks still ran.`,
    );
  notes.push(...outcome.storeErrors);

  // Failures' screenshots and traces as workflow artifacts, linked from the summary and the comment.
  const artifacts = context.runId
    ? await uploadFailureArtifacts(
        outcome.results,
        tests,
        { serverUrl: context.serverUrl, repo: env.GITHUB_REPOSITORY ?? repo, runId: context.runId },
        core.warning,
      )
    : {};
  const summaryOptions = {
    durationMs: outcome.durationMs,
    ...(run.baseUrl ? { baseUrl: run.baseUrl } : {}),
    notes,
    artifacts,
    reproduce: true,
  };
  const summary = renderSummaryMarkdown(outcome.results, tests, summaryOptions);
  await writeSummary(summary);

  const report = toJsonReport(outcome.results, tests, {
    startedAt: run.startedAt,
    durationMs: outcome.durationMs,
    ...(run.baseUrl ? { baseUrl: run.baseUrl } : {}),
    source: event.source,
  });
  setOutputs(outcome.results, tests, JSON.stringify(report));

  const failing = failed > 0 || (failOnError && error > 0);
  if (token) {
    const octokit = getOctokit(token, env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {});
    // The API calls go to the repository running the workflow (the `repo` input only names test ids).
    const apiRepo = env.GITHUB_REPOSITORY ?? repo;
    const [owner, name] = apiRepo.split('/') as [string, string];
    const runLink = context.runId
      ? `${context.serverUrl}/${apiRepo}/actions/runs/${context.runId}`
      : undefined;
    if (pr && comment) {
      const body = renderPrComment(outcome.results, tests, {
        ...summaryOptions,
        ...(baseline ? { baseline, baseBranch: baselineBranch } : {}),
        commit: pr.headSha,
        ...(runLink ? { runUrl: runLink } : {}),
      });
      await upsertPrComment(octokit, owner, name, pr.number, body, logger);
    }
    if (event.headSha) {
      await createCheckRun(
        octokit,
        owner,
        name,
        event.headSha,
        outcome.results,
        tests,
        summary,
        failing,
        logger,
      );
    }
  } else {
    core.notice(
      'HouseCat: no github-token: no PR comment and no check run — the step status carries the verdict',
    );
  }

  if (failing) {
    core.setFailed(`HouseCat: ${headline(outcome.results).replace(/^\S+ HouseCat: /, '')}`);
  } else if (error > 0) {
    core.warning(
      `HouseCat: ${error} inconclusive result(s), not failing the step (set fail-on-error: true to change that)`,
    );
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

function setOutputs(results: RunResult[], tests: TestDefinition[], json?: string): void {
  core.setOutput('passed', results.filter((r) => r.status === 'passed').length);
  core.setOutput('failed', results.filter((r) => r.status === 'failed').length);
  core.setOutput(
    'results',
    json ?? JSON.stringify(toJsonReport(results, tests, { startedAt: Date.now(), durationMs: 0 })),
  );
}
