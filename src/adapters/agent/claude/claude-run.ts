/**
 * The record of one claude run: its steps (redacted, then kept and reported by the shared recorder
 * like every other backend's), its model usage, the browser it holds, and the evidence collected
 * when it finishes. Every way out of a run, verdict or not, ends in `finish`.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { AgentRunInput, Clock, Logger } from '../../../core/ports.js';
import { describeStep } from '../../../core/report/format.js';
import type { Redactor } from '../../../core/secrets/redact.js';
import type {
  ReplayRecording,
  RunEvidence,
  RunResult,
  RunStatus,
  RunUsage,
  StepRecord,
} from '../../../core/types.js';
import { estimateCostUsd } from '../../../core/usage/prices.js';
import { within } from '../../browser/bounded.js';
import type { StepShots } from '../../browser/step-shots.js';
import type { TraceRecorder } from '../../browser/trace.js';
import { createRecorder } from '../recorder.js';

export interface ClaudeRun {
  readonly startedAt: number;
  readonly usage: RunUsage;
  readonly redact: Redactor;
  /** The steps recorded so far (the shared recorder's). */
  readonly steps: readonly StepRecord[];
  /** Fields a secret was typed into: masked in screenshots. */
  readonly secretFields: Locator[];
  context?: BrowserContext;
  page?: Page;
  /** Response time of the start URL's main document. */
  responseMs?: number;
  /** Set when a verdict's evidence held: what a replay of this run will do and check. */
  recording?: ReplayRecording;
  /** What the agent saw (issue 29): views after each step; kept for a run that did not pass. */
  shots?: StepShots;
  /** The Playwright trace, with `trace: on-failure`. */
  trace?: TraceRecorder;
  /** Records a step (outcome and target redacted) and reports it; `ms` is its measured duration. */
  step(action: string, outcome: string, ok: boolean, target?: string, ms?: number): void;
  /** Collects the evidence, closes the context and builds the result with its one final event. */
  finish(status: RunStatus, reason: string): Promise<RunResult>;
}

/** Starts the record of a run of `model`; its clock starts now. */
export function startClaudeRun(
  input: AgentRunInput,
  clock: Clock,
  model: string,
  redact: Redactor,
  logger?: Logger,
): ClaudeRun {
  const recorder = createRecorder(input, 'claude', clock, {
    onListenerError: (error) => logger?.warn(`onEvent listener failed: ${redact(String(error))}`),
  });
  const run: ClaudeRun = {
    startedAt: recorder.startedAt,
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 },
    redact,
    steps: recorder.steps,
    secretFields: [],
    step(action, outcome, ok, target, ms) {
      const record = recorder.step(action, redact(outcome), ok, {
        ...(target !== undefined ? { target: redact(target) } : {}),
        ...(ms !== undefined ? { ms } : {}),
      });
      // Model calls and blocked requests do not change what the page shows.
      if (action !== 'llm' && action !== 'blocked')
        run.shots?.after(recorder.steps.length - 1, describeStep(record));
    },
    async finish(status, reason) {
      const costUsd = estimateCostUsd(model, run.usage);
      if (costUsd !== undefined) run.usage.costUsd = costUsd;
      const evidence = await pageEvidence(run, status);
      run.shots?.discard();
      if (run.trace) {
        const zip = await run.trace.stop(status === 'failed' || status === 'error');
        if (zip) evidence.traceBase64 = zip.toString('base64');
      }
      await run.context?.close().catch(() => undefined);
      const result = recorder.finish(status, redact(reason), {
        evidence,
        usage: run.usage,
        ...(run.responseMs !== undefined ? { responseMs: run.responseMs } : {}),
      });
      result.mode = 'agent';
      if (status === 'passed' && run.recording) result.recording = run.recording;
      return result;
    },
  };
  return run;
}

/** What the page shows at the end: its URL and text, and a screenshot of a run that did not pass. */
async function pageEvidence(run: ClaudeRun, status: RunStatus): Promise<RunEvidence> {
  const evidence: RunEvidence = {};
  const page = run.page;
  if (!page || page.isClosed()) return evidence;
  evidence.finalUrl = run.redact(page.url());
  // Bounded: while a navigation is pending, evaluate waits for a page that may never come.
  const text = await within(
    // biome-ignore lint/performance/useDomNodeTextContent: the excerpt is the rendered text a person sees
    page.evaluate(() => document.body?.innerText ?? ''),
    1_000,
    '',
  );
  const excerpt = run.redact(text.replace(/\s+/g, ' ').trim()).slice(0, 500);
  if (excerpt) evidence.excerpt = excerpt;
  if (status === 'failed' || status === 'error') {
    const png = await page
      .screenshot({ type: 'png', mask: run.secretFields, timeout: 1_500 })
      .catch(() => undefined);
    if (png) evidence.screenshotBase64 = png.toString('base64');
    const last = run.steps.at(-1);
    const taken = await run.shots?.finish(run.steps.length - 1, last ? describeStep(last) : 'start');
    if (taken?.length) evidence.stepShots = taken;
  }
  return evidence;
}
