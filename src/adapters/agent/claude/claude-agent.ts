/**
 * The `claude` backend: the Anthropic Messages API tool loop driving a guarded Chromium context.
 *
 * Trust model: the model proposes, the harness disposes. The browser is confined to the test's
 * hosts by the BrowserPool (whatever the model or the page asks for), secret values are typed by
 * the harness and redacted from everything the model reads, and a "passed" verdict counts only
 * when its evidence holds on the live page. No verdict within the step, time or token budget, an
 * unreachable API or a missing browser give `error` (inconclusive), never a pass.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { BrowserContext, Page } from 'playwright-core';
import { BUILT_IN_DEFAULTS } from '../../../core/config/schema.js';
import { AgentError, ConfigError } from '../../../core/errors.js';
import { createHostPolicy, type HostPolicy } from '../../../core/net/host-policy.js';
import type { Agent, AgentRunInput, Clock, Logger } from '../../../core/ports.js';
import { systemClock } from '../../../core/ports.js';
import { applyBaseUrl, parseBaseUrl } from '../../../core/run/base-url.js';
import { createRedactor, type Redactor, redactDeep } from '../../../core/secrets/redact.js';
import type { ReplayRecording, RunResult, RunStatus, RunUsage, StepRecord } from '../../../core/types.js';
import { estimateCostUsd } from '../../../core/usage/prices.js';
import { within } from '../../browser/bounded.js';
import type { BrowserPool } from '../../browser/browser-pool.js';
import { settlePage, watchNetwork } from '../../browser/settle.js';
import { takeSnapshot } from '../../browser/snapshot.js';
import { createStepShots, type StepShots } from '../../browser/step-shots.js';
import { startTrace, type TraceRecorder } from '../../browser/trace.js';
import { allowPrivateNetwork, type HouseCatEnv } from '../../env.js';
import { createStepRecorder } from '../replay/record-steps.js';
import { firstMessage, SYSTEM_PROMPT } from './prompt.js';
import {
  checkMaxTokens,
  DEFAULT_MAX_TOKENS,
  type EffortSetting,
  parseEffortSetting,
  parseThinkingSetting,
  type ThinkingParams,
  type ThinkingSetting,
  thinkingParams,
} from './thinking.js';
import { runTool, TOOLS, type ToolOutput, type ToolSession } from './tools.js';
import { decideStop, maxTokensFor, newStopState } from './turn-stops.js';
import { checkEvidence, parseVerdict, type Verdict } from './verdict.js';

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

/** Snapshots older than the latest few are replaced in the history to keep the input small. */
const KEPT_SNAPSHOTS = 2;

/** Creates the claude backend. */
export function createClaudeAgent(options: ClaudeAgentOptions): Agent {
  return { run: (input) => runClaude(options, input) };
}

class Finished extends Error {
  constructor(
    readonly status: RunStatus,
    readonly reason: string,
  ) {
    super(reason);
  }
}

async function runClaude(options: ClaudeAgentOptions, input: AgentRunInput): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const { test } = input;
  const startedAt = clock.now();
  const steps: StepRecord[] = [];
  const usage: RunUsage = {
    llmCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  };
  const secretNames = test.secrets;
  const secrets: Record<string, string> = {};
  for (const name of secretNames) {
    const value = input.secrets?.[name];
    if (value !== undefined) secrets[name] = value;
  }
  const redact: Redactor = createRedactor(input.secrets ?? {});
  let page: Page | undefined;
  let context: BrowserContext | undefined;
  let responseMs: number | undefined;
  const secretFields: ToolSession['secretFields'] = [];
  const model = test.model ?? options.env.HOUSECAT_MODEL ?? DEFAULT_MODEL;
  // Set when a verdict's evidence held: what a replay of this run will do and check.
  let recording: ReplayRecording | undefined;
  // What the agent saw (issue 29): views after each step, and a trace with `trace: on-failure`.
  let shots: StepShots | undefined;
  let trace: TraceRecorder | undefined;

  const emit = (type: 'step' | 'pass' | 'fail' | 'error', message: string) => {
    try {
      input.onEvent?.({ type, message: redact(message), at: clock.now() });
    } catch (error) {
      options.logger?.warn(`onEvent listener failed: ${redact(String(error))}`);
    }
  };
  const step = (action: string, outcome: string, ok: boolean, target?: string, ms?: number) => {
    const record: StepRecord = { action, outcome: redact(outcome), ok, at: clock.now() };
    if (target !== undefined) record.target = redact(target);
    if (ms !== undefined) record.ms = ms;
    steps.push(record);
    const line = `${action}${record.target ? ` ${record.target}` : ''}: ${record.outcome}`;
    emit('step', line);
    // Model calls and blocked requests do not change what the page shows.
    if (action !== 'llm' && action !== 'blocked') shots?.after(steps.length - 1, line);
  };

  const finish = async (status: RunStatus, reason: string): Promise<RunResult> => {
    const result: RunResult = {
      runId: input.runId,
      testId: test.id,
      status,
      reason: redact(reason),
      agent: 'claude',
      startedAt,
      durationMs: 0,
      steps,
      evidence: {},
      usage,
      mode: 'agent',
    };
    const costUsd = estimateCostUsd(model, usage);
    if (costUsd !== undefined) usage.costUsd = costUsd;
    if (status === 'passed' && recording) result.recording = recording;
    if (responseMs !== undefined) result.responseMs = responseMs;
    if (page && !page.isClosed()) {
      result.evidence.finalUrl = redact(page.url());
      // Bounded: while a navigation is pending, evaluate waits for a page that may never come.
      const text = await within(
        // biome-ignore lint/performance/useDomNodeTextContent: the excerpt is the rendered text a person sees
        page.evaluate(() => document.body?.innerText ?? ''),
        1_000,
        '',
      );
      const excerpt = redact(text.replace(/\s+/g, ' ').trim()).slice(0, 500);
      if (excerpt) result.evidence.excerpt = excerpt;
      if (status === 'failed' || status === 'error') {
        const png = await page
          .screenshot({ type: 'png', mask: secretFields, timeout: 1_500 })
          .catch(() => undefined);
        if (png) result.evidence.screenshotBase64 = png.toString('base64');
        const last = steps.at(-1);
        const label = last
          ? `${last.action}${last.target ? ` ${last.target}` : ''}: ${last.outcome}`
          : 'start';
        const taken = await shots?.finish(steps.length - 1, label);
        if (taken?.length) result.evidence.stepShots = taken;
      }
    }
    shots?.discard();
    if (trace) {
      const zip = await trace.stop(status === 'failed' || status === 'error');
      if (zip) result.evidence.traceBase64 = zip.toString('base64');
    }
    await context?.close().catch(() => undefined);
    result.durationMs = clock.now() - startedAt;
    emit(status === 'passed' ? 'pass' : status === 'failed' ? 'fail' : 'error', result.reason);
    return result;
  };

  // 1. Configuration: nothing starts without a key, a valid URL and every secret.
  const apiKey = options.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    return finish(
      'error',
      'ANTHROPIC_API_KEY is not set: the claude agent needs an Anthropic API key. Set the ANTHROPIC_API_KEY environment variable (or secret in CI), or use agent: checks for tests without a goal.',
    );
  }
  if (!test.goal)
    return finish('error', `Test "${test.name}" has no goal, so the claude agent has nothing to check.`);
  const missing = secretNames.filter((name) => secrets[name] === undefined);
  if (missing.length) {
    return finish(
      'error',
      `Secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not set: set the environment variable${missing.length > 1 ? 's' : ''} the test lists under secrets.`,
    );
  }
  let modelParams: ThinkingParams;
  let maxTokens: number;
  try {
    modelParams = thinkingParams(
      model,
      options.thinking ?? parseThinkingSetting(options.env.HOUSECAT_THINKING),
      options.effort ?? parseEffortSetting(options.env.HOUSECAT_EFFORT),
    );
    maxTokens = checkMaxTokens(options.maxTokensPerReply ?? DEFAULT_MAX_TOKENS);
  } catch (error) {
    return finish('error', error instanceof ConfigError ? error.message : String(error));
  }
  let url: string;
  let policy: HostPolicy;
  try {
    // The runner usually rebased the test already; doing it again with the same origin changes nothing.
    const rebased = input.baseUrl ? applyBaseUrl(test, parseBaseUrl(input.baseUrl, 'baseUrl')) : test;
    url = rebased.url;
    policy = createHostPolicy({
      url,
      allowedHosts: rebased.allowedHosts,
      allowPrivateNetwork: allowPrivateNetwork(options.env),
    });
  } catch (error) {
    return finish('error', error instanceof ConfigError ? error.message : String(error));
  }
  const start = policy.check(url);
  if (!start.allowed) return finish('error', `The test URL is refused: ${start.reason}.`);

  const maxSteps = test.maxSteps > 0 ? test.maxSteps : BUILT_IN_DEFAULTS.maxSteps;
  const tokenBudget = options.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  // One deadline for the whole test, browser start included: the test's timeout, or the runner's
  // shorter limit (then running out of time is not the site's fault).
  const ownMs = test.timeout * 1000;
  const limitMs = Math.min(ownMs, input.timeLimitMs ?? ownMs);
  const limitIsOwn = limitMs >= ownMs;
  const seconds = Number.isInteger(limitMs / 1000) ? String(limitMs / 1000) : (limitMs / 1000).toFixed(1);
  const deadline = startedAt + limitMs;
  const remaining = () => Math.max(0, deadline - clock.now());
  // The agent stops itself at the deadline; the caller's signal (the runner aborts it a little
  // later, or on Ctrl-C) is the backstop. Aborting closes the context at once, so a page that never
  // answers cannot keep the browser busy past the deadline.
  const signal = input.signal;
  const abort = new AbortController();
  let timedOut = false;
  const onCancel = () => {
    abort.abort(new Finished('error', 'stopped'));
    void context?.close().catch(() => undefined);
  };
  // A little after the deadline, so that a navigation bounded by it times out on its own first.
  const deadlineTimer = setTimeout(() => {
    timedOut = true;
    onCancel();
  }, remaining() + 250);
  if (signal?.aborted) onCancel();
  else signal?.addEventListener('abort', onCancel, { once: true });
  const stopped = () => {
    if (!abort.signal.aborted) return undefined;
    return timedOut || isTimeout(signal?.reason)
      ? `The run reached its timeout of ${seconds} s before the agent reached a verdict.`
      : 'The run was cancelled before the agent reached a verdict.';
  };

  try {
    // 2. Browser: a fresh guarded context; blocked requests become steps.
    try {
      context = await options.pool.newContext({
        policy,
        onBlocked: (b) => step('blocked', b.reason, false, b.url),
      });
    } catch (error) {
      const message =
        error instanceof AgentError ? error.message : `The browser failed to start: ${String(error)}`;
      return await finish('error', message);
    }
    // Stopped while the context was opening: onCancel found none to close; finish() closes it.
    const early = stopped();
    if (early) return await finish('error', early);
    context.setDefaultTimeout(10_000);
    if (test.trace === 'on-failure') trace = await startTrace(context, redact, options.logger);
    page = await context.newPage();
    shots = createStepShots(page, () => secretFields, clock);
    watchNetwork(page);
    context.on('page', (popup) => {
      if (popup !== page)
        step(
          'popup',
          `the page opened a new tab (${popup.url()}); the agent stays on the original tab`,
          true,
        );
    });

    // 3. Open the start URL. A site that does not answer is a failing site, not a question for the model.
    const t0 = clock.now();
    let answered = false;
    page.on('response', (r) => {
      if (r.frame() === page?.mainFrame() && r.request().isNavigationRequest()) answered = true;
    });
    try {
      const response = await page.goto(url, {
        timeout: Math.max(1, remaining()),
        waitUntil: 'domcontentloaded',
      });
      responseMs = clock.now() - t0;
      await page.waitForLoadState('load', { timeout: Math.min(5_000, remaining()) }).catch(() => undefined);
      step('navigate', `HTTP ${response?.status() ?? 'n/a'} in ${responseMs} ms`, true, url, responseMs);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      if (/timeout/i.test(message) && !answered && !(signal?.aborted && !isTimeout(signal.reason))) {
        // The site never answered within the test's time: its failure (or, cut short by the
        // runner's budget, nothing proven either way).
        const outcome = `no response from ${url} within ${seconds} s`;
        step('navigate', outcome, false, url, clock.now() - t0);
        if (!limitIsOwn) {
          return await finish(
            'error',
            `the run's time budget of ${seconds} s ran out first: ${outcome}; it counts neither as a pass nor as a failure`,
          );
        }
        return await finish('failed', outcome);
      }
      step('navigate', `failed: ${message}`, false, url, clock.now() - t0);
      return await finish(stopped() ? 'error' : 'failed', stopped() ?? `Could not open ${url}: ${message}`);
    }

    const client = new Anthropic({
      apiKey,
      baseURL: options.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
      maxRetries: options.maxRetries ?? 2,
    });
    const refLabels = new Map<string, string>();
    const remember = (text: string) => {
      for (const m of text.matchAll(/^\[ref=([a-z0-9]+)\] (.*)$/gm)) refLabels.set(m[1]!, m[2]!.slice(0, 80));
    };
    const describeRef = (ref: string) => (refLabels.has(ref) ? `${ref} (${refLabels.get(ref)})` : ref);
    const session: ToolSession = {
      page,
      policy,
      secrets,
      secretNames,
      redact,
      secretFields,
      snapshotChars: options.snapshotChars ?? 8_000,
      actionTimeout: () => Math.max(1, Math.min(10_000, remaining())),
      settle: options.settle ?? true,
    };

    // The first snapshot too: an app renders its content after `load`.
    if (session.settle !== false) await settlePage(page, { maxMs: Math.min(2_000, remaining()) });
    const opening = await takeSnapshot(page, { maxChars: session.snapshotChars, redact });
    remember(opening.text);
    const messages: Anthropic.MessageParam[] = [
      {
        role: 'user',
        content: firstMessage({
          goal: test.goal,
          url,
          allowedHosts: policy.description,
          secretNames,
          maxSteps,
          opening: opening.text,
        }),
      },
    ];
    const snapshotResults: Anthropic.ToolResultBlockParam[] = [];
    const script = createStepRecorder(
      page,
      redact,
      () => Math.max(1, Math.min(5_000, remaining())),
      (ref) => refLabels.get(ref),
    );
    let toolCalls = 0;
    let falseClaims = 0;
    const stops = newStopState();

    // 4. The loop: one model call, then its tool calls, until a verdict or a budget runs out.
    for (;;) {
      // The deadline passed between two steps: stop now, not after more steps that get no time.
      if (remaining() <= 0 && !abort.signal.aborted) {
        timedOut = true;
        onCancel();
      }
      if (stopped()) return await finish('error', stopped()!);
      const used = usage.inputTokens + usage.outputTokens;
      if (used >= tokenBudget) {
        return await finish(
          'error',
          `The agent used its token budget (${used} of ${tokenBudget} tokens) without reaching a verdict.`,
        );
      }
      let reply: Anthropic.Message;
      const tCall = clock.now();
      try {
        reply = await client.messages.create(
          {
            model,
            max_tokens: maxTokensFor(stops, maxTokens),
            ...modelParams,
            system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }],
            tools: TOOLS,
            messages,
          },
          { signal: abort.signal, timeout: Math.max(1_000, remaining()) },
        );
      } catch (error) {
        if (stopped()) return await finish('error', stopped()!);
        const reason = describeApiError(error, options.env.ANTHROPIC_BASE_URL);
        step('llm', reason, false, model, clock.now() - tCall);
        return await finish('error', reason);
      }
      addUsage(usage, reply.usage);
      const decision = decideStop(reply, stops, maxTokens);
      if (decision.kind === 'end') {
        step('llm', decision.reason, false, model);
        return await finish('error', decision.reason);
      }
      if (decision.kind === 'retry') {
        step('llm', decision.note, false, model);
        continue;
      }
      // Thinking blocks go back exactly as received (signature included): the API refuses a turn
      // whose latest thinking was changed or dropped during tool use.
      messages.push({ role: 'assistant', content: reply.content as Anthropic.ContentBlockParam[] });
      if (decision.kind === 'continue') {
        step('llm', decision.note, decision.nudge === undefined, model);
        if (decision.nudge) messages.push({ role: 'user', content: decision.nudge });
        continue;
      }
      const calls = decision.calls;

      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const call of calls) {
        if (toolCalls >= maxSteps) {
          return await finish(
            'error',
            `The agent used all ${maxSteps} steps without reaching a verdict (max_steps).`,
          );
        }
        toolCalls += 1;
        const callInput = (call.input ?? {}) as Record<string, unknown>;
        const tStep = clock.now();

        if (call.name === 'verdict') {
          const verdict = parseVerdict(callInput);
          if (typeof verdict === 'string') {
            step('verdict', `rejected: ${verdict}`, false);
            results.push({
              type: 'tool_result',
              tool_use_id: call.id,
              is_error: true,
              content: `Verdict rejected: ${verdict}.`,
            });
            continue;
          }
          const outcome = await judge(page, verdict);
          if (outcome.status === 'passed') recording = script.finish(model, verdict.evidence);
          if (outcome.status !== 'unverified') {
            step('verdict', outcome.reason, outcome.status === 'passed', undefined, clock.now() - tStep);
            return await finish(outcome.status, outcome.reason);
          }
          // The claimed evidence is not on the page: tell the model once, then stop trusting it.
          falseClaims += 1;
          step(
            'verdict',
            `claimed passed, but ${outcome.problems.join('; ')}`,
            false,
            undefined,
            clock.now() - tStep,
          );
          if (falseClaims >= 2) {
            return await finish(
              'error',
              `The agent claimed the goal was reached ("${verdict.reason}"), but its evidence does not hold on the live page: ${outcome.problems.join('; ')}. Not counted as a pass.`,
            );
          }
          results.push({
            type: 'tool_result',
            tool_use_id: call.id,
            is_error: true,
            content: `Verdict rejected: ${outcome.problems.join('; ')}. Look at the page again; if the goal is not reached, report passed=false.`,
          });
          continue;
        }

        // The element is located for the script before the action: a click may remove it.
        const pending = await script.before(call.name, callInput);
        const output: ToolOutput = await runTool(session, call.name, callInput, describeRef);
        if (output.ok) script.after(pending);
        const target = output.target ?? summarizeInput(callInput, redact);
        step(call.name, output.outcome, output.ok, target, clock.now() - tStep);
        let content = output.content;
        const left = maxSteps - toolCalls;
        if (typeof content === 'string') {
          remember(content);
          if (left <= 2) content += `\n\n(${left} step${left === 1 ? '' : 's'} left: call verdict now.)`;
        }
        const result: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: call.id, content };
        if (!output.ok) result.is_error = true;
        if (output.hasSnapshot) snapshotResults.push(result);
        results.push(result);
      }
      if (toolCalls >= maxSteps) {
        return await finish(
          'error',
          `The agent used all ${maxSteps} steps without reaching a verdict (max_steps).`,
        );
      }
      trimOldSnapshots(snapshotResults);
      messages.push({ role: 'user', content: results });
    }
  } catch (error) {
    if (error instanceof Finished || stopped()) return finish('error', stopped() ?? String(error));
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return finish('error', `The agent stopped on an unexpected error: ${message}`);
  } finally {
    clearTimeout(deadlineTimer);
    signal?.removeEventListener('abort', onCancel);
  }
}

/** Decides a verdict: a failure stands as reported; a pass only with evidence that holds. */
async function judge(
  page: Page,
  verdict: Verdict,
): Promise<{ status: 'passed' | 'failed'; reason: string } | { status: 'unverified'; problems: string[] }> {
  if (!verdict.passed) return { status: 'failed', reason: verdict.reason };
  const problems = await checkEvidence(page, verdict);
  if (problems.length === 0) {
    const cited = verdict.evidence.textVisible.map((t) => `"${t}"`).join(', ');
    return { status: 'passed', reason: `${verdict.reason} (verified on the page: ${cited})` };
  }
  return { status: 'unverified', problems };
}

/** Adds one reply's usage: cache writes and reads are part of the input, and counted apart for the price. */
function addUsage(usage: RunUsage, reply: Anthropic.Usage): void {
  const writes = reply.cache_creation_input_tokens ?? 0;
  const reads = reply.cache_read_input_tokens ?? 0;
  usage.llmCalls += 1;
  usage.inputTokens += reply.input_tokens + writes + reads;
  usage.outputTokens += reply.output_tokens;
  usage.cacheWriteTokens = (usage.cacheWriteTokens ?? 0) + writes;
  usage.cacheReadTokens = (usage.cacheReadTokens ?? 0) + reads;
}

/** Keeps only the latest snapshots in the history; older ones shrink to their first line. */
function trimOldSnapshots(snapshotResults: Anthropic.ToolResultBlockParam[]): void {
  while (snapshotResults.length > KEPT_SNAPSHOTS) {
    const old = snapshotResults.shift()!;
    if (typeof old.content === 'string') {
      old.content = `${old.content.split('\n')[0]}\n(older page snapshot removed: use the latest one)`;
    }
  }
}

function summarizeInput(input: Record<string, unknown>, redact: Redactor): string | undefined {
  const safe = redactDeep(input, redact);
  const text = Object.entries(safe)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text ? text.slice(0, 200) : undefined;
}

/** Turns an SDK error into a reason a person on call can act on. */
function describeApiError(error: unknown, baseUrl: string | undefined): string {
  const where = baseUrl ?? 'https://api.anthropic.com';
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return `The Anthropic API (${where}) did not answer in time; the run is inconclusive.`;
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return `Could not reach the Anthropic API at ${where}: ${error.message.replace(/\.+$/, '')}. The run is inconclusive; check the network or ANTHROPIC_BASE_URL.`;
  }
  if (error instanceof Anthropic.APIError) {
    const status = error.status;
    if (status === 401 || status === 403) {
      return `The Anthropic API refused the key (HTTP ${status}): check ANTHROPIC_API_KEY.`;
    }
    if (status === 429)
      return 'The Anthropic API rate-limited HouseCat (HTTP 429) after retries; the run is inconclusive.';
    if (status === 529 || (status !== undefined && status >= 500)) {
      return `The Anthropic API is unavailable (HTTP ${status}${status === 529 ? ', overloaded' : ''}) after retries; the run is inconclusive.`;
    }
    if (status === 400 || status === 404) {
      return `The Anthropic API rejected the request (HTTP ${status}): ${error.message.replace(/\.+$/, '')}. Check the model name (test model / HOUSECAT_MODEL)${status === 400 ? ' and the settings it refuses (HOUSECAT_THINKING, HOUSECAT_EFFORT; docs/agent.md, "Thinking and reply length")' : ''}.`;
    }
    return `The Anthropic API failed (HTTP ${status}): ${error.message}`;
  }
  return `The Anthropic API call failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** A deadline (AbortSignal.timeout, or the runner's deadline) rather than a cancellation. */
function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
