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
import type { BrowserContext, Page, Response } from 'playwright-core';
import { ConfigError } from '../../../core/errors.js';
import { createHostPolicy, type HostPolicy } from '../../../core/net/host-policy.js';
import { type AgentRunInput, type Clock, systemClock } from '../../../core/ports.js';
import { testAtBaseUrl } from '../../../core/run/base-url.js';
import { missingTexts, type PageText, visibleExcerpt } from '../../../core/run/visible-text.js';
import type { RunEvidence, RunResult, TestDefinition } from '../../../core/types.js';
import type { BlockedRequest, GuardedContextOptions } from '../../browser/index.js';
import { readPageText } from '../../browser/visible-text.js';
import { checkPublicAddress, type LookupAll } from '../../net/public-address.js';
import { createRecorder, errorMessage, type Recorder } from '../recorder.js';

/** The part of the BrowserPool the checks use. */
export interface ContextSource {
  newContext(options: GuardedContextOptions): Promise<BrowserContext>;
}

export interface ChecksOptions {
  pool: ContextSource;
  /** HOUSECAT_ALLOW_PRIVATE_NETWORK. */
  allowPrivateNetwork: boolean;
  clock?: Clock;
  /** How long to wait for expected text that scripts add after load. Default 5000 ms. */
  textWaitMs?: number;
  /** DNS resolution for the private-address check (tests). */
  lookup?: LookupAll;
}

const EXCERPT_CHARS = 500;
/** How long reading the page for evidence may take (it must fit the runner's grace period). */
const EVIDENCE_MS = 1000;

/** The test as it runs: base-URL override applied (idempotent when the runner already applied it). */
export function effectiveTest(input: AgentRunInput): TestDefinition {
  return testAtBaseUrl(input.test, input.baseUrl);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Milliseconds from the first request of the redirect chain to the end of the final response. */
function documentMs(response: Response, fallback: number): number {
  let first = response.request();
  while (first.redirectedFrom()) first = first.redirectedFrom()!;
  const start = first.timing().startTime;
  const final = response.request().timing();
  if (start <= 0 || final.startTime <= 0 || final.responseEnd < 0) return fallback;
  return Math.round(final.startTime + final.responseEnd - start);
}

/** Waits until every string is visible or the time is up; returns the missing ones and the text. */
async function waitForTexts(
  page: Page,
  texts: string[],
  waitMs: number,
  clock: Clock,
): Promise<{ missing: string[]; seen: PageText }> {
  const until = clock.now() + waitMs;
  for (;;) {
    const seen = await readPageText(page, EVIDENCE_MS);
    const missing = missingTexts(seen, texts);
    if (missing.length === 0 || clock.now() >= until) return { missing, seen };
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function evidence(page: Page | undefined, withScreenshot: boolean): Promise<RunEvidence> {
  if (!page || page.isClosed()) return {};
  const result: RunEvidence = { finalUrl: page.url() };
  const text = collapse((await readPageText(page, EVIDENCE_MS)).rendered);
  if (text) result.excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  if (withScreenshot) {
    const png = await page.screenshot({ type: 'png', timeout: 1500 }).catch(() => undefined);
    if (png) result.screenshotBase64 = png.toString('base64');
  }
  return result;
}

/**
 * The guard proxy answers 502 with a `HouseCat guard proxy: ...` body when it cannot reach the site
 * (connection refused, DNS failure): that is "the site is unreachable", not a 502 from the site.
 */
async function guardProxyFailure(response: Response): Promise<string | undefined> {
  if (response.status() !== 502) return undefined;
  const body = await response.text().catch(() => '');
  const match = /^HouseCat guard proxy: (.*)/.exec(body);
  return match ? match[1]?.trim() : undefined;
}

/** Whether a refused request was the main document (so its "response" is the guard's 403). */
function blocksDocument(
  blocked: BlockedRequest[],
  finalUrl: string,
  policy: HostPolicy,
): BlockedRequest | undefined {
  const host = URL.canParse(finalUrl) ? new URL(finalUrl).host : '';
  const hit = blocked.find(
    // Frames are `document` requests too: only the main document's own URL (or tunnel) counts.
    (b) => b.url === finalUrl || (b.kind === 'connect' && b.url === host),
  );
  if (hit) return hit;
  const verdict = policy.check(finalUrl);
  return verdict.allowed ? undefined : { url: finalUrl, reason: verdict.reason, kind: 'redirect' };
}

/** Runs the `expect` block of a test. Never throws: every outcome is a RunResult. */
export async function runChecks(input: AgentRunInput, options: ChecksOptions): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const rec = createRecorder(input, 'checks', clock);
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

  // One deadline for the whole test, browser start included; the runner's limit may be shorter
  // (a scheduled run's budget), and then running out of time is not the site's fault.
  const ownMs = test.timeout * 1000;
  const limitMs = Math.min(ownMs, input.timeLimitMs ?? ownMs);
  const deadline = rec.startedAt + limitMs;
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
      context = await options.pool.newContext({
        policy,
        onBlocked: (b) => {
          blocked.push(b);
          // The query string may carry tokens: the step names the URL without it.
          rec.step('blocked', b.reason, false, { target: b.url.replace(/[?#].*$/, '') });
        },
      });
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
      deadline,
      limitIsOwn: limitMs >= ownMs,
      options,
      clock,
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

/**
 * The navigation ran out of time. Within the test's own timeout, that is the site's failure: no
 * answer at all, or an answer whose page never finished loading. Cut short by the runner's budget,
 * it proves nothing about the site.
 */
async function timeUp(run: CheckRun, page: Page, answered: boolean, navStart: number): Promise<RunResult> {
  const { rec, test } = run;
  const seconds = formatSeconds(run.deadline - rec.startedAt);
  const outcome = answered
    ? `the page did not finish loading within ${seconds} s`
    : `no response from ${test.url} within ${seconds} s`;
  rec.step('navigate', outcome, false, { target: test.url, startedAt: navStart });
  if (!run.limitIsOwn) {
    return rec.finish(
      'error',
      `the run's time budget of ${seconds} s ran out first: ${outcome}; it counts neither as a pass nor as a failure`,
      { evidence: await evidence(page, false) },
    );
  }
  // With no answer there is nothing rendered to photograph, and a screenshot would wait for the
  // pending navigation until its own timeout.
  const reason = answered ? `${test.url}: ${outcome}` : outcome;
  return rec.finish('failed', reason, { evidence: await evidence(page, answered) });
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

interface CheckRun {
  rec: Recorder;
  context: BrowserContext;
  test: TestDefinition;
  policy: HostPolicy;
  blocked: BlockedRequest[];
  deadline: number;
  /** True when the deadline is the test's own `timeout` (not a shorter budget of the runner). */
  limitIsOwn: boolean;
  options: ChecksOptions;
  clock: Clock;
  isCancelled: () => boolean;
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

async function check(run: CheckRun, setPage: (page: Page) => void): Promise<RunResult> {
  const { rec, context, test, policy, blocked, deadline, options, clock, isCancelled } = run;
  const page = await context.newPage();
  setPage(page);
  // Whether the site answered the main document at all, to tell "no response" from "slow load".
  let answered = false;
  let lastDocument: Response | undefined;
  page.on('response', (r) => {
    if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) {
      answered = true;
      lastDocument = r;
    }
  });
  const expectations = test.expect ?? {};
  const navStart = clock.now();
  let response: Response | null = null;
  let navError: unknown;
  try {
    response = await page.goto(test.url, { waitUntil: 'load', timeout: Math.max(1, deadline - navStart) });
  } catch (error) {
    if (isCancelled()) return rec.finish('error', 'The run was cancelled.');
    navError = error;
    // An error status with an empty body: Chromium shows its own error page and goto throws
    // ERR_HTTP_RESPONSE_CODE_FAILURE, but the site did answer, and its status is what is checked.
    if (/ERR_HTTP_RESPONSE_CODE_FAILURE/.test(errorMessage(error)) && lastDocument) response = lastDocument;
  }
  if (navError !== undefined && !response) {
    // The navigation itself failed: a refused hop of its redirect chain (or its own URL) is why.
    // Only the page's navigations count: a refused image, or the browser's own calls home (never
    // reported, see page-attribution.ts), say nothing about why the document did not load.
    const hit = blocked.find((b) => b.url === test.url || b.navigation === true);
    if (hit) {
      return rec.finish('error', `The page was sent to a host it may not reach: ${hit.url}: ${hit.reason}`, {
        evidence: await evidence(page, true),
      });
    }
    const message = errorMessage(navError);
    const timedOut = /timeout/i.test(message);
    if (timedOut) return timeUp(run, page, answered, navStart);
    const outcome = `the page could not be loaded: ${message.replace(/^page\.goto: /, '')}`;
    rec.step('navigate', outcome, false, { target: test.url, startedAt: navStart });
    return rec.finish('failed', `${test.url}: ${outcome}`, { evidence: await evidence(page, true) });
  }
  if (!response) {
    rec.step('navigate', 'no response for the main document', false, {
      target: test.url,
      startedAt: navStart,
    });
    return rec.finish('error', `${test.url}: the browser got no response for the main document`);
  }
  const finalUrl = response.url();
  const refused = blocksDocument(blocked, finalUrl, policy);
  if (refused) {
    rec.step('navigate', `stopped: ${refused.url} is blocked`, false, {
      target: test.url,
      startedAt: navStart,
    });
    return rec.finish(
      'error',
      `The page was sent to a host it may not reach: ${refused.url}: ${refused.reason}`,
      {
        evidence: await evidence(page, true),
      },
    );
  }
  const unreachable = await guardProxyFailure(response);
  if (unreachable) {
    const outcome = `the page could not be loaded: ${unreachable}`;
    rec.step('navigate', outcome, false, { target: test.url, startedAt: navStart });
    return rec.finish('failed', `${test.url}: ${outcome}`, { evidence: await evidence(page, true) });
  }
  const responseMs = documentMs(response, clock.now() - navStart);
  const status = response.status();
  rec.step('navigate', `loaded ${finalUrl} (status ${status}, ${responseMs} ms)`, true, {
    target: test.url,
    startedAt: navStart,
  });

  const failures: string[] = [];
  const statusOk = expectations.status !== undefined ? status === expectations.status : status < 400;
  const statusOutcome = statusOk
    ? `got ${status}`
    : expectations.status !== undefined
      ? `expected status ${expectations.status}, got ${status}`
      : `expected status below 400, got ${status}`;
  rec.step('check:status', statusOutcome, statusOk, { target: String(expectations.status ?? '<400') });
  if (!statusOk) failures.push(statusOutcome);

  const texts = expectations.text ?? [];
  if (texts.length > 0) {
    const textStart = clock.now();
    // On an error page, waiting for scripts to add the text only delays the verdict.
    const waitMs = statusOk ? Math.min(options.textWaitMs ?? 5000, Math.max(0, deadline - textStart)) : 0;
    const { missing, seen } = await waitForTexts(page, texts, waitMs, clock);
    if (isCancelled()) return rec.finish('error', 'The run was cancelled.');
    // What the page did show, so a reader sees why (another case, another wording, an error page).
    const shown = `the page shows: ${JSON.stringify(visibleExcerpt(seen))}`;
    for (const text of texts) {
      const found = !missing.includes(text);
      const outcome = found ? 'found on the page' : `text ${JSON.stringify(text)} not found on the page`;
      rec.step('check:text', found ? outcome : `${outcome} (${shown})`, found, {
        target: JSON.stringify(text),
        startedAt: textStart,
      });
      if (!found) failures.push(outcome);
    }
    if (missing.length > 0) failures.push(shown);
  }

  if (expectations.maxMs !== undefined) {
    const fast = responseMs <= expectations.maxMs;
    const outcome = fast
      ? `took ${responseMs} ms (limit ${expectations.maxMs} ms)`
      : `took ${responseMs} ms, limit ${expectations.maxMs} ms`;
    rec.step('check:max_ms', outcome, fast, { target: String(expectations.maxMs) });
    if (!fast) failures.push(outcome);
  }

  if (failures.length > 0) {
    return rec.finish('failed', failures.join('; '), { evidence: await evidence(page, true), responseMs });
  }
  const count = 1 + texts.length + (expectations.maxMs !== undefined ? 1 : 0);
  return rec.finish(
    'passed',
    `All ${count} check${count === 1 ? '' : 's'} passed (status ${status}, ${responseMs} ms).`,
    {
      evidence: await evidence(page, false),
      responseMs,
    },
  );
}
