/**
 * Where the Action's `run` mode reports a finished run for reviewers: the job summary (with the
 * failures' artifacts), the step outputs, one PR comment updated in place, a check run, and the
 * step's verdict.
 */
import * as core from '@actions/core';
import type { HouseCatEnv } from '../adapters/env.js';
import { uploadFailureArtifacts } from '../adapters/github/artifacts.js';
import { createCheckRun, type ReportLogger, upsertPrComment } from '../adapters/github/pull-request.js';
import type { RunSuiteResult } from '../app/run-suite.js';
import {
  headline,
  type PrCommentOptions,
  renderPrComment,
  renderSummaryMarkdown,
  toJsonReport,
} from '../core/report/index.js';
import { type CiEvent, FORK_REASON } from '../core/run/index.js';
import type { RunResult, TestDefinition } from '../core/types.js';
import { writeSummary } from './inputs.js';

type GitHubModule = typeof import('@actions/github');

/** What the report needs besides the run: the workflow's context and the step's settings. */
export interface ReportContext {
  github: Pick<GitHubModule, 'context' | 'getOctokit'>;
  env: HouseCatEnv;
  event: CiEvent;
  logger: ReportLogger;
  /** The repository the test ids name (the `repo` input, else the workflow's). */
  repo: string;
  token?: string;
  /** Post the PR comment (input `comment`). */
  comment: boolean;
  /** An inconclusive result fails the step (input `fail-on-error`). */
  failOnError: boolean;
  /** The input skip-without-key as given (empty: the default). */
  skipWithoutKeyInput?: string;
}

/** Reports `run` everywhere reviewers look, then fails the step when a test failed. */
export async function reportRun(run: RunSuiteResult, ctx: ReportContext): Promise<void> {
  const { context } = ctx.github;
  const { outcome, tests } = run;
  const { failed, error } = outcome.counts;
  // Failures' screenshots and traces as workflow artifacts, linked from the summary and the comment.
  const artifacts = context.runId
    ? await uploadFailureArtifacts(
        outcome.results,
        tests,
        { serverUrl: context.serverUrl, repo: ctx.env.GITHUB_REPOSITORY ?? ctx.repo, runId: context.runId },
        core.warning,
      )
    : {};
  const summaryOptions = {
    durationMs: outcome.durationMs,
    ...(run.baseUrl ? { baseUrl: run.baseUrl } : {}),
    notes: notesOf(run, ctx),
    artifacts,
    reproduce: true,
  };
  const summary = renderSummaryMarkdown(outcome.results, tests, summaryOptions);
  await writeSummary(summary);

  const report = toJsonReport(outcome.results, tests, {
    startedAt: run.startedAt,
    durationMs: outcome.durationMs,
    ...(run.baseUrl ? { baseUrl: run.baseUrl } : {}),
    source: ctx.event.source,
  });
  setOutputs(outcome.results, tests, JSON.stringify(report));

  const failing = failed > 0 || (ctx.failOnError && error > 0);
  await reportOnGitHub(run, ctx, { summary, summaryOptions, failing });

  if (failing) {
    core.setFailed(`HouseCat: ${headline(outcome.results).replace(/^\S+ HouseCat: /, '')}`);
  } else if (error > 0) {
    core.warning(
      `HouseCat: ${error} inconclusive result(s), not failing the step (set fail-on-error: true to change that)`,
    );
  }
}

/** Why AI goals were skipped, and what the store could not keep: notes under the summary. */
function notesOf(run: RunSuiteResult, ctx: ReportContext): string[] {
  const notes: string[] = [];
  if (ctx.event.pullRequest?.fork && run.skippedAi.size > 0)
    notes.push(`AI goals were skipped: ${FORK_REASON}. Deterministic checks still ran.`);
  else if (run.skippedAi.size > 0)
    notes.push(
      `AI goals were skipped: ${[...new Set(run.skippedAi.values())].join('; ')} (skip-without-key is ${ctx.skipWithoutKeyInput ? 'on' : 'on for pull requests, which get no secrets from forks or Dependabot'}). Deterministic checks still ran.`,
    );
  notes.push(...run.outcome.storeErrors);
  return notes;
}

/** The PR comment and the check run, with the token; without one, a notice that says so. */
async function reportOnGitHub(
  run: RunSuiteResult,
  ctx: ReportContext,
  made: { summary: string; summaryOptions: PrCommentOptions; failing: boolean },
): Promise<void> {
  const { context, getOctokit } = ctx.github;
  const { env, event, logger } = ctx;
  const { outcome, tests, baseline } = run;
  if (!ctx.token) {
    core.notice(
      'HouseCat: no github-token: no PR comment and no check run — the step status carries the verdict',
    );
    return;
  }
  const octokit = getOctokit(ctx.token, env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {});
  // The API calls go to the repository running the workflow (the `repo` input only names test ids).
  const apiRepo = env.GITHUB_REPOSITORY ?? ctx.repo;
  const [owner, name] = apiRepo.split('/') as [string, string];
  const runLink = context.runId ? `${context.serverUrl}/${apiRepo}/actions/runs/${context.runId}` : undefined;
  const pr = event.pullRequest;
  if (pr && ctx.comment) {
    const body = renderPrComment(outcome.results, tests, {
      ...made.summaryOptions,
      ...(baseline ? { baseline, baseBranch: pr.baseBranch } : {}),
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
      made.summary,
      made.failing,
      logger,
    );
  }
}

/** The step outputs `passed`, `failed` and `results` (the JSON report; an empty one by default). */
export function setOutputs(results: RunResult[], tests: TestDefinition[], json?: string): void {
  core.setOutput('passed', results.filter((r) => r.status === 'passed').length);
  core.setOutput('failed', results.filter((r) => r.status === 'failed').length);
  core.setOutput(
    'results',
    json ?? JSON.stringify(toJsonReport(results, tests, { startedAt: Date.now(), durationMs: 0 })),
  );
}
