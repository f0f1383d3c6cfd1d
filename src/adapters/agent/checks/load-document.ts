/**
 * Opening the test URL for the checks, and telling apart why a main document did not arrive: a
 * host it may not reach (an `error`), a site that did not answer or failed to load (a failure), or
 * a time budget that ran out before the test's own timeout (an `error`: it proves nothing).
 */
import type { Page, Response } from 'playwright-core';
import type { HostPolicy } from '../../../core/net/host-policy.js';
import type { RunResult } from '../../../core/types.js';
import type { BlockedRequest } from '../../browser/index.js';
import { errorMessage } from '../recorder.js';
import { type CheckRun, evidence } from './check-run.js';

/** The main document as it arrived, and how long it took. */
export interface LoadedDocument {
  response: Response;
  responseMs: number;
}

/**
 * Opens the test URL and records the navigation step. Returns the document, or the result of a run
 * that ends here because the document did not arrive or was refused.
 */
export async function loadDocument(run: CheckRun, page: Page): Promise<LoadedDocument | RunResult> {
  const { rec, test, deadline, clock, isCancelled } = run;
  // Whether the site answered the main document at all, to tell "no response" from "slow load".
  let answered = false;
  let lastDocument: Response | undefined;
  page.on('response', (r) => {
    if (r.frame() === page.mainFrame() && r.request().isNavigationRequest()) {
      answered = true;
      lastDocument = r;
    }
  });
  const navStart = clock.now();
  let response: Response | null = null;
  try {
    response = await page.goto(test.url, { waitUntil: 'load', timeout: Math.max(1, deadline - navStart) });
  } catch (error) {
    if (isCancelled()) return rec.finish('error', 'The run was cancelled.');
    // An error status with an empty body: Chromium shows its own error page and goto throws
    // ERR_HTTP_RESPONSE_CODE_FAILURE, but the site did answer, and its status is what is checked.
    if (/ERR_HTTP_RESPONSE_CODE_FAILURE/.test(errorMessage(error)) && lastDocument) response = lastDocument;
    else return navigationFailed(run, page, error, answered, navStart);
  }
  if (!response) {
    rec.step('navigate', 'no response for the main document', false, {
      target: test.url,
      startedAt: navStart,
    });
    return rec.finish('error', `${test.url}: the browser got no response for the main document`);
  }
  const refused = await documentRefused(run, page, response, navStart);
  if (refused) return refused;
  const responseMs = documentMs(response, clock.now() - navStart);
  rec.step('navigate', `loaded ${response.url()} (status ${response.status()}, ${responseMs} ms)`, true, {
    target: test.url,
    startedAt: navStart,
  });
  return { response, responseMs };
}

/** The navigation itself failed: a refused hop of its redirect chain (or its own URL) is why, or time ran out, or the site. */
async function navigationFailed(
  run: CheckRun,
  page: Page,
  navError: unknown,
  answered: boolean,
  navStart: number,
): Promise<RunResult> {
  const { rec, test, blocked } = run;
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

/**
 * A document that arrived but is not the site's answer: the guard's 403 for a host it may not
 * reach (an `error`), or the guard's 502 for a site it could not reach (a failure).
 */
async function documentRefused(
  run: CheckRun,
  page: Page,
  response: Response,
  navStart: number,
): Promise<RunResult | undefined> {
  const { rec, test } = run;
  const refused = blocksDocument(run.blocked, response.url(), run.policy);
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
  return undefined;
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
