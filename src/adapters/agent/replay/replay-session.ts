/**
 * A replay under way: its clock and deadline, the steps it has recorded, and the guarded browser
 * context whose answers (a blocked navigation, an HTTP error) turn into a divergence at the step
 * that met them.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { createHostPolicy } from '../../../core/net/host-policy.js';
import type { AgentRunInput, Clock } from '../../../core/ports.js';
import { createRedactor, type Redactor } from '../../../core/secrets/redact.js';
import type { StepRecord, TestDefinition } from '../../../core/types.js';
import type { BrowserPool } from '../../browser/browser-pool.js';
import { watchNetwork } from '../../browser/settle.js';
import { Diverged, ELEMENT_WAIT_MS } from './replay-action.js';

/** One replay under way: its clock and deadline, the steps so far, and what the page answered. */
export interface Replay {
  input: AgentRunInput;
  clock: Clock;
  startedAt: number;
  steps: StepRecord[];
  redact: Redactor;
  /** Milliseconds left before the test's timeout (at least 1). */
  remaining: () => number;
  /** How long a step waits for its element (HOUSECAT_ELEMENT_WAIT_MS; default ELEMENT_WAIT_MS). */
  elementWaitMs: number;
  /** The first document navigation the host policy blocked, as `url (reason)`. */
  blockedDocument?: string;
  /** The HTTP status of the main frame's latest document, cleared before each step. */
  documentStatus?: number;
}

/** Starts a replay's state; its deadline is the test's timeout from now. */
export function startReplay(clock: Clock, input: AgentRunInput, elementWaitMs = ELEMENT_WAIT_MS): Replay {
  const startedAt = clock.now();
  const deadline = startedAt + input.test.timeout * 1000;
  return {
    input,
    clock,
    startedAt,
    steps: [],
    redact: createRedactor(input.secrets ?? {}),
    remaining: () => Math.max(1, deadline - clock.now()),
    elementWaitMs,
  };
}

/** Records a step (secrets redacted) and reports it as a `step` event. */
export function record(
  replay: Replay,
  action: string,
  outcome: string,
  ok: boolean,
  target?: string,
  since?: number,
) {
  const { clock, redact, input } = replay;
  const step: StepRecord = { action, outcome: redact(outcome), ok, at: clock.now() };
  if (target !== undefined) step.target = redact(target);
  if (since !== undefined) step.ms = Math.max(0, clock.now() - since);
  replay.steps.push(step);
  try {
    input.onEvent?.({
      type: 'step',
      message: `${action}${step.target ? ` ${step.target}` : ''}: ${step.outcome}`,
      at: step.at,
    });
  } catch {
    // a faulty listener must not change the outcome
  }
}

/** A browser context under the test's host policy; a blocked request is recorded as a step. */
export async function newReplayContext(
  options: { pool: BrowserPool; allowPrivateNetwork: boolean },
  replay: Replay,
  test: TestDefinition,
): Promise<BrowserContext> {
  const policy = createHostPolicy({
    url: test.url,
    allowedHosts: test.allowedHosts,
    allowPrivateNetwork: options.allowPrivateNetwork,
  });
  const context = await options.pool.newContext({
    policy,
    onBlocked: (b) => {
      if (b.resourceType === 'document' || b.kind === 'redirect')
        replay.blockedDocument ??= `${b.url} (${b.reason})`;
      record(replay, 'blocked', b.reason, false, b.url);
    },
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Watches the page's network and the main frame's document status, for settling and {@link checkPage}. */
export function watchPage(page: Page, replay: Replay): void {
  // Count requests from the start, so a fetch an action starts is awaited by settle().
  watchNetwork(page);
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
      replay.documentStatus = response.status();
    }
  });
}

/** A divergence at step `n` when the run was stopped, a navigation blocked, or the page answered an error. */
export function checkPage(replay: Replay, n: number): void {
  const { blockedDocument, documentStatus } = replay;
  if (replay.input.signal?.aborted) throw new Diverged(n, 'the run was stopped');
  if (blockedDocument) throw new Diverged(n, `navigation blocked: ${blockedDocument}`);
  if (documentStatus !== undefined && documentStatus >= 400) {
    throw new Diverged(n, `the page answered HTTP ${documentStatus}`);
  }
}
