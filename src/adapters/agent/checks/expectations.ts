/**
 * The `expect` checks on a loaded main document, each recorded as a step: its status, the visible
 * text (waited for, since scripts may add it after load) and its response time. Then the verdict:
 * every failed check named in the reason, or a pass that counts them.
 */
import type { Page } from 'playwright-core';
import type { Clock } from '../../../core/ports.js';
import { missingTexts, type PageText, visibleExcerpt } from '../../../core/run/visible-text.js';
import type { RunResult } from '../../../core/types.js';
import { readPageText } from '../../browser/visible-text.js';
import { type CheckRun, EVIDENCE_MS, evidence } from './check-run.js';
import type { LoadedDocument } from './load-document.js';

/** Checks the test's expectations on the loaded document and finishes the run with the verdict. */
export async function checkExpectations(
  run: CheckRun,
  page: Page,
  loaded: LoadedDocument,
): Promise<RunResult> {
  const { rec } = run;
  const { responseMs } = loaded;
  const expectations = run.test.expect ?? {};
  const status = loaded.response.status();
  const failures: string[] = [];
  const statusOk = checkStatus(run, status, failures);
  const texts = expectations.text ?? [];
  if (texts.length > 0) {
    const cancelled = await checkTexts(run, page, texts, statusOk, failures);
    if (cancelled) return cancelled;
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

/** Checks the document's status (the expected one, or any below 400); returns whether it holds. */
function checkStatus(run: CheckRun, status: number, failures: string[]): boolean {
  const expected = run.test.expect?.status;
  const statusOk = expected !== undefined ? status === expected : status < 400;
  const statusOutcome = statusOk
    ? `got ${status}`
    : expected !== undefined
      ? `expected status ${expected}, got ${status}`
      : `expected status below 400, got ${status}`;
  run.rec.step('check:status', statusOutcome, statusOk, { target: String(expected ?? '<400') });
  if (!statusOk) failures.push(statusOutcome);
  return statusOk;
}

/**
 * Checks that every expected text is visible, one step each, adding what the page did show to the
 * failures when one is missing. Returns the result of a run cancelled meanwhile.
 */
async function checkTexts(
  run: CheckRun,
  page: Page,
  texts: string[],
  statusOk: boolean,
  failures: string[],
): Promise<RunResult | undefined> {
  const { rec, clock } = run;
  const textStart = clock.now();
  // On an error page, waiting for scripts to add the text only delays the verdict.
  const waitMs = statusOk
    ? Math.min(run.options.textWaitMs ?? 5000, Math.max(0, run.deadline - textStart))
    : 0;
  const { missing, seen } = await waitForTexts(page, texts, waitMs, clock);
  if (run.isCancelled()) return rec.finish('error', 'The run was cancelled.');
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
  return undefined;
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
