/**
 * Replays a recorded script without a model, through the same browser pool, network guard and
 * secret handling as the claude agent, then checks the recorded evidence on the live page with the
 * very function that checks a model's verdict (checkEvidence). A replay either confirms a pass or
 * reports where it diverged; it never decides that the site is broken: that is the agent's call.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { createHostPolicy } from '../../../core/net/host-policy.js';
import type { AgentRunInput, Clock } from '../../../core/ports.js';
import { systemClock } from '../../../core/ports.js';
import { describeLocator, type ReplayScript } from '../../../core/replay/index.js';
import { testAtBaseUrl } from '../../../core/run/base-url.js';
import { createRedactor } from '../../../core/secrets/redact.js';
import type { ReplayStep, StepRecord } from '../../../core/types.js';
import type { BrowserPool } from '../../browser/browser-pool.js';
import { watchNetwork } from '../../browser/settle.js';
import { readEvidence } from '../claude/verdict.js';
import { resolveLocator } from './locator.js';
import { mayChangePage, settleAfterAction } from './settle.js';

export interface ReplayerOptions {
  pool: BrowserPool;
  allowPrivateNetwork: boolean;
  clock?: Clock;
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

/** How long a replayed step waits for its element, and the evidence for its text. */
const ELEMENT_WAIT_MS = 5_000;
const EVIDENCE_WAIT_MS = 3_000;

class Diverged extends Error {
  constructor(
    readonly step: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** Replays `script` for `input.test`. Never throws for the page: a problem is a divergence. */
export async function replayScript(
  options: ReplayerOptions,
  input: AgentRunInput,
  script: ReplayScript,
): Promise<ReplayOutcome> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const steps: StepRecord[] = [];
  const redact = createRedactor(input.secrets ?? {});
  const deadline = startedAt + input.test.timeout * 1000;
  const remaining = () => Math.max(1, deadline - clock.now());
  const record = (action: string, outcome: string, ok: boolean, target?: string, since?: number) => {
    const step: StepRecord = { action, outcome: redact(outcome), ok, at: clock.now() };
    if (target !== undefined) step.target = redact(target);
    if (since !== undefined) step.ms = Math.max(0, clock.now() - since);
    steps.push(step);
    try {
      input.onEvent?.({
        type: 'step',
        message: `${action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}`,
        at: step.at,
      });
    } catch {
      // a faulty listener must not change the outcome
    }
  };

  let context: BrowserContext | undefined;
  let blockedDocument: string | undefined;
  let documentStatus: number | undefined;
  const onAbort = () => void context?.close().catch(() => undefined);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const test = testAtBaseUrl(input.test, input.baseUrl);
    const policy = createHostPolicy({
      url: test.url,
      allowedHosts: test.allowedHosts,
      allowPrivateNetwork: options.allowPrivateNetwork,
    });
    context = await options.pool.newContext({
      policy,
      onBlocked: (b) => {
        if (b.resourceType === 'document' || b.kind === 'redirect')
          blockedDocument ??= `${b.url} (${b.reason})`;
        record('blocked', b.reason, false, b.url);
      },
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // Count requests from the start, so a fetch an action starts is awaited by settle().
    watchNetwork(page);
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        documentStatus = response.status();
      }
    });
    const checkPage = (n: number) => {
      if (input.signal?.aborted) throw new Diverged(n, 'the run was stopped');
      if (blockedDocument) throw new Diverged(n, `navigation blocked: ${blockedDocument}`);
      if (documentStatus !== undefined && documentStatus >= 400) {
        throw new Diverged(n, `the page answered HTTP ${documentStatus}`);
      }
    };

    const t0 = clock.now();
    let responseMs: number | undefined;
    try {
      // `load`, as a checks run waits: the page's scripts have run, so a click is not lost on a
      // button whose handler is not attached yet. Content fetched later is awaited by the locators.
      const response = await page.goto(test.url, {
        timeout: Math.min(30_000, remaining()),
        waitUntil: 'load',
      });
      responseMs = clock.now() - t0;
      record(
        'replay:navigate',
        `HTTP ${response?.status() ?? 'n/a'} in ${responseMs} ms`,
        true,
        test.url,
        t0,
      );
    } catch (error) {
      throw new Diverged(0, `could not open ${test.url}: ${firstLine(error)}`);
    }
    checkPage(0);

    for (const [index, step] of script.steps.entries()) {
      const n = index + 1;
      const since = clock.now();
      documentStatus = undefined;
      const target = 'target' in step && step.target ? describeLocator(step.target) : undefined;
      const pathBefore = pathOf(page.url());
      await act(page, step, n, input.secrets ?? {}, remaining);
      // A step that navigated when it was recorded: wait for that page rather than polling the old
      // one. Only the path is compared (queries and fragments change between runs), and not
      // arriving is no divergence by itself: the evidence check decides.
      const recordedPath = pathOf(step.after);
      if (recordedPath !== pathBefore && recordedPath !== undefined) {
        await page
          .waitForURL((url) => url.pathname === recordedPath, {
            timeout: Math.min(ELEMENT_WAIT_MS, remaining()),
            waitUntil: 'load',
          })
          .catch(() => undefined);
      } else if (mayChangePage(step)) {
        await settleAfterAction(page, remaining());
      }
      checkPage(n);
      record(
        `replay:${step.action}`,
        'done',
        true,
        target ?? ('url' in step ? step.url : 'text' in step ? step.text : undefined),
        since,
      );
    }

    // The same check a model's verdict goes through; given a moment for text that scripts render.
    const evidenceStep = script.steps.length + 1;
    const verdict = { passed: true, reason: 'replay', evidence: script.evidence };
    let { problems, seen } = await readEvidence(page, verdict);
    const until = clock.now() + Math.min(EVIDENCE_WAIT_MS, remaining());
    while (problems.length > 0 && clock.now() < until && !input.signal?.aborted) {
      await page.waitForTimeout(100).catch(() => undefined);
      ({ problems, seen } = await readEvidence(page, verdict));
    }
    if (problems.length > 0)
      throw new Diverged(evidenceStep, `the recorded evidence does not hold: ${problems.join('; ')}`);
    const cited = script.evidence.textVisible.map((t) => `"${t}"`).join(', ');
    record('replay:evidence', `verified on the page: ${cited}`, true);
    // The text the evidence was found in: what a person sees, as every excerpt of a run shows it.
    const excerpt = redact(seen.rendered.replace(/\s+/g, ' ').trim()).slice(0, 500);
    return {
      ok: true,
      steps,
      startedAt,
      durationMs: clock.now() - startedAt,
      ...(responseMs !== undefined ? { responseMs } : {}),
      finalUrl: redact(page.url()),
      ...(excerpt ? { excerpt } : {}),
    };
  } catch (error) {
    const diverged =
      error instanceof Diverged
        ? error
        : new Diverged(0, `the replay stopped on an error: ${firstLine(error)}`);
    record('replay', `diverged at step ${diverged.step}: ${diverged.problem}`, false);
    return {
      ok: false,
      step: diverged.step,
      problem: redact(diverged.problem),
      steps,
      startedAt,
      durationMs: clock.now() - startedAt,
    };
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    await context?.close().catch(() => undefined);
  }
}

/** Performs one recorded action; a missing element or a failed action is a divergence at step `n`. */
async function act(
  page: Page,
  step: ReplayStep,
  n: number,
  secrets: Record<string, string>,
  remaining: () => number,
): Promise<void> {
  const timeout = Math.min(10_000, remaining());
  if (step.action === 'navigate') {
    await page.goto(step.url, { timeout, waitUntil: 'load' }).catch((error: unknown) => {
      throw new Diverged(n, `could not open ${step.url}: ${firstLine(error)}`);
    });
    return;
  }
  if (step.action === 'wait_for_text') {
    await page
      .getByText(step.text)
      .first()
      .waitFor({ state: 'visible', timeout: Math.min(ELEMENT_WAIT_MS * 2, timeout) })
      .catch(() => {
        throw new Diverged(n, `text '${step.text}' did not appear`);
      });
    return;
  }
  if (step.action === 'press_key' && !step.target) {
    await page.keyboard.press(step.key);
    return;
  }
  const target = step.target;
  if (!target) throw new Diverged(n, `step ${step.action} has no element`);
  const locator = resolveLocator(page, target);
  const described = describeLocator(target);
  // Locators are strict and actions wait for their element: one round trip finds the element,
  // checks that it is the only match and acts, where a separate wait and count would cost two more.
  const wait = Math.min(ELEMENT_WAIT_MS, timeout);
  try {
    switch (step.action) {
      case 'click':
        await locator.click({ timeout: wait });
        break;
      case 'type':
        await locator.fill(step.text, { timeout: wait });
        if (step.submit) await locator.press('Enter', { timeout });
        break;
      case 'type_secret': {
        const value = secrets[step.secret];
        if (value === undefined) throw new Diverged(n, `the secret ${step.secret} is not set`);
        await locator.fill(value, { timeout: wait });
        if (step.submit) await locator.press('Enter', { timeout });
        break;
      }
      case 'select':
        await locator
          .selectOption({ label: step.option }, { timeout: wait })
          .catch(() => locator.selectOption(step.option, { timeout: wait }));
        break;
      case 'press_key':
        await locator.press(step.key, { timeout: wait });
        break;
    }
  } catch (error) {
    if (error instanceof Diverged) throw error;
    const message = firstLine(error);
    const ambiguous = /strict mode violation: .* resolved to (\d+) elements/.exec(message);
    if (ambiguous) throw new Diverged(n, `${described} is ambiguous (${ambiguous[1]} elements match)`);
    const found = await locator.count().catch(() => 0);
    if (found === 0) throw new Diverged(n, `${described} not found`);
    throw new Diverged(n, `${step.action} on ${described} failed: ${message}`);
  }
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
