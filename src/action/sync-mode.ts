/**
 * The Action's `sync` mode: makes Redis and QStash match the definitions file on a push to the
 * default branch. On a pull request it only plans (a PR must never change production schedules)
 * and shows the plan in the job summary.
 */
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { composeSync } from '../adapters/compose.js';
import { createStorage } from '../adapters/compose-storage.js';
import { DEFAULT_CONFIG_PATH, loadDefinitionsFile } from '../adapters/definitions-file.js';
import { allowPrivateNetwork, flowParallelism, readEnv, watchdogMinutes } from '../adapters/env.js';
import { type SyncInput, syncTests } from '../app/sync-tests.js';
import { ConfigError } from '../core/errors.js';
import { renderPlanMarkdown, renderPlanTable, type SyncPlan } from '../core/sync/index.js';
import { type ActionInputs, booleanInput, writeSummary } from './inputs.js';

/** Events on which the Action only plans. */
const PLAN_ONLY_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);

function missing(input: string, secret: string): ConfigError {
  return new ConfigError(
    `input "${input}" is empty: add the repository secret ${secret} (Settings → Secrets and variables → Actions) ` +
      `and pass it to the step as \`${input}: \${{ secrets.${secret} }}\`.`,
  );
}

function setOutputs(plan: SyncPlan | null, applied: boolean): void {
  core.setOutput('plan', JSON.stringify(plan ?? { items: [], counts: null }));
  core.setOutput('created', plan?.counts.create ?? 0);
  core.setOutput('updated', plan?.counts.update ?? 0);
  core.setOutput('removed', plan?.counts.remove ?? 0);
  core.setOutput('unchanged', plan?.counts.unchanged ?? 0);
  core.setOutput('applied', applied);
}

/** Runs the sync mode with the inputs read once by main.ts. */
export async function syncMode(inputs: ActionInputs): Promise<void> {
  const { context } = await import('@actions/github');
  const env = readEnv();
  const flow = flowParallelism(env);
  const watchdog = watchdogMinutes(env, inputs['watchdog-minutes']);
  const eventName = context.eventName;
  const planOnlyEvent = PLAN_ONLY_EVENTS.has(eventName);
  const dryRun = booleanInput(inputs, 'dry-run', false) || planOnlyEvent;
  const repo = inputs.repo || env.GITHUB_REPOSITORY;
  if (!repo)
    throw new ConfigError('no repository: set the input "repo" (owner/name) or run inside GitHub Actions.');

  const configFile = inputs.config || DEFAULT_CONFIG_PATH;
  const loaded = await loadAnnotated(configFile, repo, env);
  const redis = redisCredentials(inputs, env);
  if ((!redis.url || !redis.token) && planOnlyEvent) {
    // Pull requests from forks get no secrets: the file is valid, the comparison must wait.
    core.warning(
      'HouseCat: no Upstash Redis credentials on this pull_request event (forks get no secrets): the file is valid, but the plan against production is skipped.',
    );
    await writeSummary(
      `### HouseCat sync plan\n\n${loaded.tests.length} test(s) in ${configFile} are valid. The plan against production was skipped: this event has no Upstash Redis credentials.\n`,
    );
    setOutputs(null, false);
    return;
  }
  if (!redis.url) throw missing('upstash-redis-url', 'UPSTASH_REDIS_REST_URL');
  if (!redis.token) throw missing('upstash-redis-token', 'UPSTASH_REDIS_REST_TOKEN');

  const qstashToken = inputs['qstash-token'] || env.QSTASH_TOKEN;
  if (qstashToken) core.setSecret(qstashToken);
  if (!dryRun && !qstashToken) throw missing('qstash-token', 'QSTASH_TOKEN');
  const qstashUrl = inputs['qstash-url'] || env.QSTASH_URL;

  const storage = createStorage({
    ...env,
    UPSTASH_REDIS_REST_URL: redis.url,
    UPSTASH_REDIS_REST_TOKEN: redis.token,
  });
  if (storage === null) throw missing('upstash-redis-url', 'UPSTASH_REDIS_REST_URL');
  try {
    core.info(`QStash flow control: ${flow.total} callbacks at once (${flow.source}).`);
    const deps = composeSync(
      storage,
      {
        dryRun,
        ...(qstashToken ? { token: qstashToken } : {}),
        ...(qstashUrl ? { url: qstashUrl } : {}),
        tokenSource: 'the input "qstash-token" (secret QSTASH_TOKEN)',
        urlSource: 'the input "qstash-url"',
      },
      { info: core.info, warn: core.warning, error: core.error },
    );
    const callbackUrl = inputs['callback-url'] || env.HOUSECAT_PUBLIC_URL;
    const input: SyncInput = {
      repo,
      tests: loaded.tests,
      ...(loaded.statusPage ? { statusPage: loaded.statusPage } : {}),
      dryRun,
      file: configFile,
      ...(callbackUrl ? { callbackUrl } : {}),
      parallelism: flow.total,
      watchdogMinutes: watchdog,
    };
    const outcome = await syncAndSummarize(deps, input);
    const why = planOnlyEvent
      ? `Plan only: a ${eventName} event never changes production schedules.`
      : dryRun
        ? 'Dry run: nothing was written.'
        : outcome.applied
          ? 'Applied.'
          : 'Nothing to do: production already matches the file.';
    core.info(why);
    await writeSummary(`${renderPlanMarkdown(outcome.plan, 'HouseCat sync plan')}\n${why}\n`);
    setOutputs(outcome.plan, outcome.applied);
  } finally {
    await storage.close();
  }
}

/**
 * The definitions file, valid: its problems become error annotations on their lines (and the step
 * fails), and what the app would refuse at run time becomes warnings (the sync goes on).
 */
async function loadAnnotated(configFile: string, repo: string, env: ReturnType<typeof readEnv>) {
  const loaded = await loadDefinitionsFile(resolve(configFile), repo);
  if (!loaded.ok) {
    for (const d of loaded.diagnostics) {
      core.error(d.path ? `${d.path}: ${d.message}` : d.message, {
        title: 'HouseCat definitions',
        file: d.file,
        startLine: d.line,
        startColumn: d.column,
      });
    }
    const n = loaded.diagnostics.length;
    setOutputs(null, false);
    throw new ConfigError(
      `${configFile} has ${n} problem${n === 1 ? '' : 's'} (see the annotations above) — nothing was synced.`,
    );
  }
  // Valid but refused at run time by the app: an annotation on the line, the sync goes on.
  if (!allowPrivateNetwork(env)) {
    for (const w of loaded.warnings) {
      core.warning(`${w.path}: ${w.message}`, {
        title: 'HouseCat definitions',
        file: w.file,
        startLine: w.line,
        startColumn: w.column,
      });
    }
  }
  return loaded;
}

/** Upstash's URL and token from the inputs, else the environment; the token is masked in the log. */
function redisCredentials(inputs: ActionInputs, env: ReturnType<typeof readEnv>) {
  const url = inputs['upstash-redis-url'] || env.UPSTASH_REDIS_REST_URL;
  const token = inputs['upstash-redis-token'] || env.UPSTASH_REDIS_REST_TOKEN;
  if (token) core.setSecret(token);
  return { url, token };
}

/** Syncs, logging the plan; when applying it fails, the job summary shows the plan that was applied. */
async function syncAndSummarize(deps: ReturnType<typeof composeSync>, input: SyncInput) {
  let planned: SyncPlan | null = null;
  return syncTests(deps, {
    ...input,
    onPlan: (plan) => {
      planned = plan;
      core.info(renderPlanTable(plan));
    },
  }).catch(async (error: unknown) => {
    if (planned)
      await writeSummary(renderPlanMarkdown(planned, 'HouseCat sync failed — plan that was being applied'));
    throw error;
  });
}
