/**
 * Replays a recorded script without a model, through the same browser pool, network guard and
 * secret handling as the claude agent, then checks the recorded evidence on the live page with the
 * very function that checks a model's verdict (checkEvidence). A replay either confirms a pass or
 * reports where it diverged; it never decides that the site is broken: that is the agent's call.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { AgentRunInput, Clock } from '../../../core/ports.js';
import { systemClock } from '../../../core/ports.js';
import { describeLocator, type ReplayScript } from '../../../core/replay/index.js';
import { testAtBaseUrl } from '../../../core/run/base-url.js';
import type { ReplayStep, StepRecord } from '../../../core/types.js';
import type { BrowserPool } from '../../browser/browser-pool.js';
import { readEvidence } from '../claude/verdict.js';
import { act, Diverged, firstLine } from './replay-action.js';
import {
  checkPage,
  newReplayContext,
  type Replay,
  record,
  startReplay,
  watchPage,
} from './replay-session.js';
import { mayChangePage, settleAfterAction } from './settle.js';

export interface ReplayerOptions {
  pool: BrowserPool;
  allowPrivateNetwork: boolean;
  clock?: Clock;
  /** How long a step waits for its element; default ELEMENT_WAIT_MS (HOUSECAT_ELEMENT_WAIT_MS sets it). */
  elementWaitMs?: number;
}

export type ReplayOutcome =
  | {
      ok: true;
      steps: StepRecord[];
      startedAt: number;
      durationMs: number;
      responseMs?: number;
      finalUrl: string;
      excerpt?: string;
    }
  | {
      ok: false;
      /** 1-based step of the script (0: opening the start URL, steps+1: the evidence). */
      step: number;
      /** What went wrong, e.g. `button 'Sign in' not found`. */
      problem: string;
      steps: StepRecord[];
      startedAt: number;
      durationMs: number;
    };

/** How long the evidence check waits for its text. */
const EVIDENCE_WAIT_MS = 3_000;

/** Replays `script` for `input.test`. Never throws for the page: a problem is a divergence. */
export async function replayScript(
  options: ReplayerOptions,
  input: AgentRunInput,
  script: ReplayScript,
): Promise<ReplayOutcome> {
  const replay = startReplay(options.clock ?? systemClock, input, options.elementWaitMs);
  let context: BrowserContext | undefined;
  const onAbort = () => void context?.close().catch(() => undefined);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const test = testAtBaseUrl(input.test, input.baseUrl);
    context = await newReplayContext(options, replay, test);
    const page = await context.newPage();
    watchPage(page, replay);
    const responseMs = await openStartUrl(page, replay, test.url);
    for (const [index, step] of script.steps.entries()) await replayStep(page, replay, step, index + 1);
    const excerpt = await checkEvidence(page, replay, script);
    return {
      ok: true,
      steps: replay.steps,
      startedAt: replay.startedAt,
      durationMs: replay.clock.now() - replay.startedAt,
      ...(responseMs !== undefined ? { responseMs } : {}),
      finalUrl: replay.redact(page.url()),
      ...(excerpt ? { excerpt } : {}),
    };
  } catch (error) {
    return divergedOutcome(replay, error);
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    await context?.close().catch(() => undefined);
  }
}

/** Opens the start URL (step 0) and returns its response time in milliseconds. */
async function openStartUrl(page: Page, replay: Replay, url: string): Promise<number | undefined> {
  const t0 = replay.clock.now();
  let responseMs: number | undefined;
  try {
    // `load`, as a checks run waits: the page's scripts have run, so a click is not lost on a
    // button whose handler is not attached yet. Content fetched later is awaited by the locators.
    const response = await page.goto(url, {
      timeout: Math.min(30_000, replay.remaining()),
      waitUntil: 'load',
    });
    responseMs = replay.clock.now() - t0;
    record(
      replay,
      'replay:navigate',
      `HTTP ${response?.status() ?? 'n/a'} in ${responseMs} ms`,
      true,
      url,
      t0,
    );
  } catch (error) {
    throw new Diverged(0, `could not open ${url}: ${firstLine(error)}`);
  }
  checkPage(replay, 0);
  return responseMs;
}

/** Performs step `n` of the script and waits for the page it leads to, as it did when recorded. */
async function replayStep(page: Page, replay: Replay, step: ReplayStep, n: number): Promise<void> {
  const since = replay.clock.now();
  replay.documentStatus = undefined;
  const target = 'target' in step && step.target ? describeLocator(step.target) : undefined;
  const pathBefore = pathOf(page.url());
  await act(page, step, n, replay.input.secrets ?? {}, replay.remaining, replay.elementWaitMs);
  // A step that navigated when it was recorded: wait for that page rather than polling the old
  // one. Only the path is compared (queries and fragments change between runs), and not
  // arriving is no divergence by itself: the evidence check decides.
  const recordedPath = pathOf(step.after);
  if (recordedPath !== pathBefore && recordedPath !== undefined) {
    await page
      .waitForURL((url) => url.pathname === recordedPath, {
        timeout: Math.min(replay.elementWaitMs, replay.remaining()),
        waitUntil: 'load',
      })
      .catch(() => undefined);
  } else if (mayChangePage(step)) {
    await settleAfterAction(page, replay.remaining());
  }
  checkPage(replay, n);
  const shown = target ?? ('url' in step ? step.url : 'text' in step ? step.text : undefined);
  record(replay, `replay:${step.action}`, 'done', true, shown, since);
}

/**
 * Checks the recorded evidence on the live page, with the same check a model's verdict goes through,
 * given a moment for text that scripts render. Returns the page's text the evidence was found in.
 */
async function checkEvidence(page: Page, replay: Replay, script: ReplayScript): Promise<string> {
  const { clock, input } = replay;
  const evidenceStep = script.steps.length + 1;
  const verdict = { passed: true, reason: 'replay', evidence: script.evidence };
  let { problems, seen } = await readEvidence(page, verdict);
  const until = clock.now() + Math.min(EVIDENCE_WAIT_MS, replay.remaining());
  while (problems.length > 0 && clock.now() < until && !input.signal?.aborted) {
    await page.waitForTimeout(100).catch(() => undefined);
    ({ problems, seen } = await readEvidence(page, verdict));
  }
  if (problems.length > 0)
    throw new Diverged(evidenceStep, `the recorded evidence does not hold: ${problems.join('; ')}`);
  const cited = script.evidence.textVisible.map((t) => `"${t}"`).join(', ');
  record(replay, 'replay:evidence', `verified on the page: ${cited}`, true);
  // The text the evidence was found in: what a person sees, as every excerpt of a run shows it.
  return replay.redact(seen.rendered.replace(/\s+/g, ' ').trim()).slice(0, 500);
}

/** The outcome of a replay that stopped on `error`: where it left the script, and why. */
function divergedOutcome(replay: Replay, error: unknown): ReplayOutcome {
  const diverged =
    error instanceof Diverged
      ? error
      : new Diverged(0, `the replay stopped on an error: ${firstLine(error)}`);
  record(replay, 'replay', `diverged at step ${diverged.step}: ${diverged.problem}`, false);
  return {
    ok: false,
    step: diverged.step,
    problem: replay.redact(diverged.problem),
    steps: replay.steps,
    startedAt: replay.startedAt,
    durationMs: replay.clock.now() - replay.startedAt,
  };
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
