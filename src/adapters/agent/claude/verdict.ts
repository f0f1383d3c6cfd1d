/**
 * The verdict the model reports, and the harness's check of its evidence against the live page.
 * A model can be wrong, or talked into "PASS" by the page: a pass counts only when the text it
 * cites is really visible (rendered, on the page's canvas, not hidden) and the URL matches.
 */
import type { Page } from 'playwright-core';
import { missingTexts, type PageText, visibleExcerpt } from '../../../core/run/visible-text.js';
import { readPageText } from '../../browser/visible-text.js';

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
