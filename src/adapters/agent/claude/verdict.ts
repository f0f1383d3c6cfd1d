/**
 * The verdict the model reports, and the harness's check of its evidence against the live page.
 * A model can be wrong, or talked into "PASS" by the page: a pass counts only when the text it
 * cites is really visible (rendered, on the page's canvas, not hidden) and the URL matches.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Page } from 'playwright-core';
import { missingTexts, type PageText, visibleExcerpt } from '../../../core/run/visible-text.js';
import type { RunStatus } from '../../../core/types.js';
import { readPageText } from '../../browser/visible-text.js';
import type { StepRecorder } from '../replay/record-steps.js';
import type { ClaudeRun } from './claude-run.js';

export interface Verdict {
  passed: boolean;
  reason: string;
  evidence: { textVisible: string[]; urlContains?: string };
}

/** Validates the verdict tool's input; returns the problem in words for the model otherwise. */
export function parseVerdict(input: Record<string, unknown>): Verdict | string {
  if (typeof input.passed !== 'boolean') return '"passed" must be true or false';
  if (typeof input.reason !== 'string' || input.reason.trim() === '')
    return '"reason" must be a non-empty string';
  const evidence = (input.evidence ?? {}) as Record<string, unknown>;
  const texts = Array.isArray(evidence.text_visible) ? evidence.text_visible : [];
  const textVisible = texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '').slice(0, 10);
  if (input.passed && textVisible.length === 0) {
    return 'a passing verdict needs evidence.text_visible: one to five strings copied exactly from the current page';
  }
  const verdict: Verdict = {
    passed: input.passed,
    reason: input.reason.trim().slice(0, 1_000),
    evidence: { textVisible },
  };
  if (typeof evidence.url_contains === 'string' && evidence.url_contains !== '') {
    verdict.evidence.urlContains = evidence.url_contains;
  }
  return verdict;
}

/**
 * Checks a passing verdict's evidence on the live page. Returns the problems (empty: it holds).
 * "Visible" is the definition `expect.text` uses (core/run/visible-text.ts): rendered or source
 * text of visible elements, whitespace collapsed, case ignored.
 */
export async function checkEvidence(page: Page, verdict: Verdict): Promise<string[]> {
  return (await readEvidence(page, verdict)).problems;
}

/** {@link checkEvidence}, also giving the page text it read (for an excerpt without a second read). */
export async function readEvidence(
  page: Page,
  verdict: Verdict,
): Promise<{ problems: string[]; seen: PageText }> {
  const problems: string[] = [];
  const seen = await readPageText(page);
  const missing = missingTexts(seen, verdict.evidence.textVisible);
  for (const claim of missing) problems.push(`the text "${claim}" is not visible on the page`);
  if (missing.length > 0) problems.push(`the page shows: ${JSON.stringify(visibleExcerpt(seen))}`);
  const url = page.url();
  if (verdict.evidence.urlContains !== undefined && !url.includes(verdict.evidence.urlContains)) {
    problems.push(`the URL ${url} does not contain "${verdict.evidence.urlContains}"`);
  }
  return { problems, seen };
}

/** Decides a verdict: a failure stands as reported; a pass only with evidence that holds. */
export async function judge(
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

/** What a verdict call comes to: the run's end, or an answer that sends the model back to the page. */
export type VerdictAnswer =
  | { end: { status: RunStatus; reason: string } }
  | { retry: Anthropic.ToolResultBlockParam };

/**
 * Answers the model's `verdict` call. A malformed verdict is sent back; a failure or a pass whose
 * evidence holds ends the run (a pass also keeps the replay recording); a pass whose evidence is not
 * on the page is sent back once, and the second such claim ends the run as inconclusive.
 */
export async function answerVerdict(
  run: ClaudeRun & { page: Page },
  call: Anthropic.ToolUseBlock,
  context: {
    script: StepRecorder;
    model: string;
    /** Passing verdicts whose evidence did not hold so far in this run; counted here. */
    claims: { falseClaims: number };
    startedAt: number;
    now: () => number;
  },
): Promise<VerdictAnswer> {
  const retry = (content: string): VerdictAnswer => ({
    retry: { type: 'tool_result', tool_use_id: call.id, is_error: true, content },
  });
  const verdict = parseVerdict((call.input ?? {}) as Record<string, unknown>);
  if (typeof verdict === 'string') {
    run.step('verdict', `rejected: ${verdict}`, false);
    return retry(`Verdict rejected: ${verdict}.`);
  }
  const outcome = await judge(run.page, verdict);
  const ms = () => context.now() - context.startedAt;
  if (outcome.status === 'passed') run.recording = context.script.finish(context.model, verdict.evidence);
  if (outcome.status !== 'unverified') {
    run.step('verdict', outcome.reason, outcome.status === 'passed', undefined, ms());
    return { end: { status: outcome.status, reason: outcome.reason } };
  }
  // The claimed evidence is not on the page: tell the model once, then stop trusting it.
  const problems = outcome.problems.join('; ');
  run.step('verdict', `claimed passed, but ${problems}`, false, undefined, ms());
  context.claims.falseClaims += 1;
  if (context.claims.falseClaims >= 2) {
    const reason = `The agent claimed the goal was reached ("${verdict.reason}"), but its evidence does not hold on the live page: ${problems}. Not counted as a pass.`;
    return { end: { status: 'error', reason } };
  }
  return retry(
    `Verdict rejected: ${problems}. Look at the page again; if the goal is not reached, report passed=false.`,
  );
}
