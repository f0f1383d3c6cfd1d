/**
 * The deterministic `expect` backend: opens the test URL in a guarded browser context (so the host
 * policy applies to every request and JavaScript-rendered text counts), then checks the main
 * document's status, the visible text and the response time. No LLM, no API key.
 *
 * Semantics (docs/checks-and-network.md):
 * - `status`: the HTTP status of the main document after redirects. Without `status`, any status
 *   below 400 passes.
 * - `text`: every string must be visible, as defined once in core/run/visible-text.ts (rendered or
 *   source text of visible elements, whitespace collapsed, case ignored). Text that scripts add
 *   after load counts: the check waits up to `textWaitMs` (default 5 s) for it.
 * - `max_ms`: milliseconds from the start of the navigation until the main document (after
 *   redirects) was fully received — server and network time, not subresources or rendering.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { ConfigError } from '../../../core/errors.js';
import { createHostPolicy, type HostPolicy } from '../../../core/net/host-policy.js';
import { type AgentRunInput, systemClock } from '../../../core/ports.js';
import { testAtBaseUrl } from '../../../core/run/base-url.js';
import type { RunResult, TestDefinition } from '../../../core/types.js';
import type { BlockedRequest } from '../../browser/index.js';
import { checkPublicAddress } from '../../net/public-address.js';
import { createRecorder, errorMessage, type Recorder } from '../recorder.js';
import { type CheckRun, type ChecksOptions, evidence } from './check-run.js';
import { checkExpectations } from './expectations.js';
import { loadDocument } from './load-document.js';

export type { ChecksOptions, ContextSource } from './check-run.js';

/** The test as it runs: base-URL override applied (idempotent when the runner already applied it). */
export function effectiveTest(input: AgentRunInput): TestDefinition {
  return testAtBaseUrl(input.test, input.baseUrl);
}

/** Runs the `expect` block of a test. Never throws: every outcome is a RunResult. */
export async function runChecks(input: AgentRunInput, options: ChecksOptions): Promise<RunResult> {
  const rec = createRecorder(input, 'checks', options.clock ?? systemClock);
  const admitted = await admit(input, options, rec);
  if ('status' in admitted) return admitted;
  return checkInContext(input, options, rec, admitted);
}

/** A test whose start URL the host policy and DNS accept. */
interface AdmittedTest {
  test: TestDefinition;
  policy: HostPolicy;
}

/**
 * Checks the start URL before a browser opens: the host policy, then DNS (no private address unless
 * allowed), then that the run was not cancelled. Returns the test and its policy, or the `error`.
 */
async function admit(
  input: AgentRunInput,
  options: ChecksOptions,
  rec: Recorder,
): Promise<AdmittedTest | RunResult> {
  let test: TestDefinition;
  let policy: HostPolicy;
  try {
    test = effectiveTest(input);
    policy = createHostPolicy({
      url: test.url,
      allowedHosts: test.allowedHosts,
      allowPrivateNetwork: options.allowPrivateNetwork,
    });
  } catch (error) {
    if (error instanceof ConfigError) return rec.finish('error', error.message);
    throw error;
  }
  const url = test.url;
  const start = policy.check(url);
  if (!start.allowed) {
    rec.step('blocked', start.reason, false, { target: url });
    return rec.finish('error', `Refused to open ${url}: ${start.reason}`);
  }
  const dns = await checkPublicAddress(new URL(url).hostname, {
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  if (!dns.allowed) {
    rec.step('blocked', dns.reason, false, { target: url });
    return rec.finish('error', `Refused to open ${url}: ${dns.reason}`);
  }
  if (input.signal?.aborted) return rec.finish('error', 'The run was cancelled before it started.');
  return { test, policy };
}

/**
 * Runs the checks in a guarded browser context under one deadline, and closes the context however
 * the run ends. A cancellation closes the context at once and ends the run as an `error`.
 */
async function checkInContext(
  input: AgentRunInput,
  options: ChecksOptions,
  rec: Recorder,
  { test, policy }: AdmittedTest,
): Promise<RunResult> {
  // One deadline for the whole test, browser start included; the runner's limit may be shorter
  // (a scheduled run's budget), and then running out of time is not the site's fault.
  const ownMs = test.timeout * 1000;
  const limitMs = Math.min(ownMs, input.timeLimitMs ?? ownMs);
  const blocked: BlockedRequest[] = [];
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let cancelled = false;
  // One close, awaited by the run: a second close() call resolves before the first has finished,
  // and the run must not give its slot back while its context is still open.
  let closing: Promise<void> | undefined;
  const closeContext = (ctx: BrowserContext) => {
    closing ??= closeWithin(ctx, 2000);
    return closing;
  };
  const onAbort = () => {
    cancelled = true;
    if (context) void closeContext(context);
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      context = await openContext(options, rec, policy, blocked);
    } catch (error) {
      return rec.finish('error', `The browser could not start: ${errorMessage(error)}`);
    }
    if (cancelled) return rec.finish('error', 'The run was cancelled.');
    const run: CheckRun = {
      rec,
      context,
      test,
      policy,
      blocked,
      deadline: rec.startedAt + limitMs,
      limitIsOwn: limitMs >= ownMs,
      options,
      clock: options.clock ?? systemClock,
      isCancelled: () => cancelled,
    };
    const checking = check(run, (p) => {
      page = p;
    });
    // Whatever Playwright does with a context closed under it, a cancelled run ends now.
    const verdict = await Promise.race([checking, abortion(input.signal)]);
    if (verdict === 'cancelled') {
      checking.catch(() => undefined);
      return rec.finish('error', 'The run was cancelled.');
    }
    return verdict;
  } catch (error) {
    if (cancelled) return rec.finish('error', 'The run was cancelled.');
    return rec.finish('error', `The checks could not run: ${errorMessage(error)}`, {
      evidence: await evidence(page, true),
    });
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    if (context) await closeContext(context);
  }
}

/** A browser context under `policy`; each refused request is kept in `blocked` and recorded as a step. */
function openContext(
  options: ChecksOptions,
  rec: Recorder,
  policy: HostPolicy,
  blocked: BlockedRequest[],
): Promise<BrowserContext> {
  return options.pool.newContext({
    policy,
    onBlocked: (b) => {
      blocked.push(b);
      // The query string may carry tokens: the step names the URL without it.
      rec.step('blocked', b.reason, false, { target: b.url.replace(/[?#].*$/, '') });
    },
  });
}

function abortion(signal: AbortSignal | undefined): Promise<'cancelled'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('cancelled');
    else signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
}

/** Closes a context without letting a stuck close hold the run (the browser is shared). */
async function closeWithin(context: BrowserContext, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    context.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Opens the test URL in the run's context, then checks its expectations on the loaded document. */
async function check(run: CheckRun, setPage: (page: Page) => void): Promise<RunResult> {
  const page = await run.context.newPage();
  setPage(page);
  const loaded = await loadDocument(run, page);
  if ('status' in loaded) return loaded;
  return checkExpectations(run, page, loaded);
}
