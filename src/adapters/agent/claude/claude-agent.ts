/**
 * The `claude` backend: the Anthropic Messages API tool loop driving a guarded Chromium context.
 *
 * Trust model: the model proposes, the harness disposes. The browser is confined to the test's
 * hosts by the BrowserPool (whatever the model or the page asks for), secret values are typed by
 * the harness and redacted from everything the model reads, and a "passed" verdict counts only
 * when its evidence holds on the live page. No verdict within the step, time or token budget, an
 * unreachable API or a missing browser give `error` (inconclusive), never a pass.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { BUILT_IN_DEFAULTS } from '../../../core/config/schema.js';
import { AgentError, ConfigError } from '../../../core/errors.js';
import { createHostPolicy } from '../../../core/net/host-policy.js';
import type { Agent, AgentRunInput, Clock, Logger } from '../../../core/ports.js';
import { systemClock } from '../../../core/ports.js';
import { testAtBaseUrl } from '../../../core/run/base-url.js';
import { createRedactor } from '../../../core/secrets/redact.js';
import type { RunResult } from '../../../core/types.js';
import type { BrowserPool } from '../../browser/browser-pool.js';
import { watchNetwork } from '../../browser/settle.js';
import { createStepShots } from '../../browser/step-shots.js';
import { startTrace } from '../../browser/trace.js';
import { allowPrivateNetwork, type HouseCatEnv } from '../../env.js';
import { type ClaudeRun, startClaudeRun } from './claude-run.js';
import { type LoopSettings, runModelLoop } from './model-loop.js';
import { isStop, isTimeout, type RunDeadline, startDeadline } from './run-deadline.js';
import {
  checkMaxTokens,
  DEFAULT_MAX_TOKENS,
  type EffortSetting,
  parseEffortSetting,
  parseThinkingSetting,
  type ThinkingSetting,
  thinkingParams,
} from './thinking.js';

/** The model used when neither the test's `model` nor HOUSECAT_MODEL is set. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
/** Input + output tokens one run may use before it ends as `error`. */
export const DEFAULT_TOKEN_BUDGET = 250_000;

export interface ClaudeAgentOptions {
  env: HouseCatEnv;
  pool: BrowserPool;
  clock?: Clock;
  logger?: Logger;
  /** Input + output tokens per run (cached input included); default {@link DEFAULT_TOKEN_BUDGET}. */
  tokenBudget?: number;
  /** Retries of the SDK for 429/5xx/overloaded answers; default 2. */
  maxRetries?: number;
  /** Snapshot size cap in characters (≈ 4 per token); default 8,000. */
  snapshotChars?: number;
  /** `max_tokens` of each model reply (thinking included), 8,000–21,333; default 16,000. */
  maxTokensPerReply?: number;
  /** Thinking to ask for; default HOUSECAT_THINKING, else `auto` (the lightest the model accepts). */
  thinking?: ThinkingSetting;
  /** `output_config.effort`; default HOUSECAT_EFFORT, else the model's default. */
  effort?: EffortSetting;
  /** Let the page settle before each snapshot (default true; false only for benchmarks). */
  settle?: boolean;
}

/** Creates the claude backend. */
export function createClaudeAgent(options: ClaudeAgentOptions): Agent {
  return { run: (input) => runClaude(options, input) };
}

/**
 * One run: the configuration is checked, the deadline starts, the start page opens, and the model
 * loop (model-loop.ts) drives the page to a verdict (tool-dispatch.ts, verdict.ts).
 */
async function runClaude(options: ClaudeAgentOptions, input: AgentRunInput): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const model = input.test.model ?? options.env.HOUSECAT_MODEL ?? DEFAULT_MODEL;
  const run = startClaudeRun(input, clock, model, createRedactor(input.secrets ?? {}), options.logger);
  // 1. Configuration: nothing starts without a key, a valid URL and every secret.
  const settings = configure(options, input, model);
  if (typeof settings === 'string') return run.finish('error', settings);
  const deadline = startDeadline(input, clock, run.startedAt, () => {
    void run.context?.close().catch(() => undefined);
  });
  try {
    const ended = await openStartPage(options, input, run, deadline, clock, settings);
    if (ended) return ended;
    return await runModelLoop(run as ClaudeRun & { page: Page }, deadline, clock, settings);
  } catch (error) {
    const stopped = deadline.stopped();
    if (isStop(error) || stopped) return run.finish('error', stopped ?? String(error));
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return run.finish('error', `The agent stopped on an unexpected error: ${message}`);
  } finally {
    deadline.dispose();
  }
}

/** The settings of the loop, or the configuration problem that keeps the run from starting. */
function configure(options: ClaudeAgentOptions, input: AgentRunInput, model: string): LoopSettings | string {
  const { test } = input;
  const apiKey = options.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    return 'ANTHROPIC_API_KEY is not set: the claude agent needs an Anthropic API key. Set the ANTHROPIC_API_KEY environment variable (or secret in CI), or use agent: checks for tests without a goal.';
  }
  if (!test.goal) return `Test "${test.name}" has no goal, so the claude agent has nothing to check.`;
  const secrets: Record<string, string> = {};
  for (const name of test.secrets) {
    const value = input.secrets?.[name];
    if (value !== undefined) secrets[name] = value;
  }
  const missing = test.secrets.filter((name) => secrets[name] === undefined);
  if (missing.length) {
    return `Secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set: set the environment variable${missing.length > 1 ? 's' : ''} the test lists under secrets.`;
  }
  try {
    const modelParams = thinkingParams(
      model,
      options.thinking ?? parseThinkingSetting(options.env.HOUSECAT_THINKING),
      options.effort ?? parseEffortSetting(options.env.HOUSECAT_EFFORT),
    );
    const maxTokens = checkMaxTokens(options.maxTokensPerReply ?? DEFAULT_MAX_TOKENS);
    const rebased = testAtBaseUrl(test, input.baseUrl);
    const policy = createHostPolicy({
      url: rebased.url,
      allowedHosts: rebased.allowedHosts,
      allowPrivateNetwork: allowPrivateNetwork(options.env),
    });
    const start = policy.check(rebased.url);
    if (!start.allowed) return `The test URL is refused: ${start.reason}.`;
    return {
      apiKey,
      baseUrl: options.env.ANTHROPIC_BASE_URL,
      maxRetries: options.maxRetries ?? 2,
      model,
      modelParams,
      maxTokens,
      tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
      maxSteps: test.maxSteps > 0 ? test.maxSteps : BUILT_IN_DEFAULTS.maxSteps,
      snapshotChars: options.snapshotChars ?? 8_000,
      settle: options.settle ?? true,
      goal: test.goal,
      url: rebased.url,
      policy,
      secrets,
      secretNames: test.secrets,
    };
  } catch (error) {
    return error instanceof ConfigError ? error.message : String(error);
  }
}

/**
 * The run's page, with what the agent saw kept (issue 29): a trace with `trace: on-failure`, and
 * views after each step.
 */
async function openWatchedPage(
  options: ClaudeAgentOptions,
  input: AgentRunInput,
  run: ClaudeRun,
  context: BrowserContext,
  clock: Clock,
): Promise<Page> {
  if (input.test.trace === 'on-failure') run.trace = await startTrace(context, run.redact, options.logger);
  const page = await context.newPage();
  run.page = page;
  run.shots = createStepShots(page, () => run.secretFields, clock);
  return page;
}

/**
 * 2. A fresh guarded context (blocked requests become steps), then 3. the start URL. Returns the
 * result when the run ends here: a site that does not answer is a failing site, not a question for
 * the model.
 */
async function openStartPage(
  options: ClaudeAgentOptions,
  input: AgentRunInput,
  run: ClaudeRun,
  deadline: RunDeadline,
  clock: Clock,
  settings: Pick<LoopSettings, 'url' | 'policy'>,
): Promise<RunResult | undefined> {
  const { url, policy } = settings;
  try {
    run.context = await options.pool.newContext({
      policy,
      onBlocked: (b) => run.step('blocked', b.reason, false, b.url),
    });
  } catch (error) {
    const message =
      error instanceof AgentError ? error.message : `The browser failed to start: ${String(error)}`;
    return await run.finish('error', message);
  }
  // Stopped while the context was opening: the stop found none to close; finish() closes it.
  const early = deadline.stopped();
  if (early) return await run.finish('error', early);
  run.context.setDefaultTimeout(10_000);
  const page = await openWatchedPage(options, input, run, run.context, clock);
  watchNetwork(page);
  run.context.on('page', (popup) => {
    if (popup !== page)
      run.step(
        'popup',
        `the page opened a new tab (${popup.url()}); the agent stays on the original tab`,
        true,
      );
  });
  const t0 = clock.now();
  let answered = false;
  page.on('response', (r) => {
    if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) answered = true;
  });
  try {
    const response = await page.goto(url, {
      timeout: Math.max(1, deadline.remaining()),
      waitUntil: 'domcontentloaded',
    });
    run.responseMs = clock.now() - t0;
    await page
      .waitForLoadState('load', { timeout: Math.min(5_000, deadline.remaining()) })
      .catch(() => undefined);
    run.step(
      'navigate',
      `HTTP ${response?.status() ?? 'n/a'} in ${run.responseMs} ms`,
      true,
      url,
      run.responseMs,
    );
    return undefined;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const signal = input.signal;
    if (/timeout/i.test(message) && !answered && !(signal?.aborted && !isTimeout(signal.reason))) {
      // The site never answered within the test's time: its failure (or, cut short by the
      // runner's budget, nothing proven either way).
      const outcome = `no response from ${url} within ${deadline.seconds} s`;
      run.step('navigate', outcome, false, url, clock.now() - t0);
      if (!deadline.limitIsOwn) {
        return await run.finish(
          'error',
          `the run's time budget of ${deadline.seconds} s ran out first: ${outcome}; it counts neither as a pass nor as a failure`,
        );
      }
      return await run.finish('failed', outcome);
    }
    run.step('navigate', `failed: ${message}`, false, url, clock.now() - t0);
    const stopped = deadline.stopped();
    return await run.finish(stopped ? 'error' : 'failed', stopped ?? `Could not open ${url}: ${message}`);
  }
}
