/**
 * The verdict the model reports, and the harness's check of its evidence against the live page.
 * A model can be wrong, or talked into "PASS" by the page: a pass counts only when the text it
 * cites is really visible (rendered, on the page's canvas, not hidden) and the URL matches.
 */
import type { Page } from 'playwright-core';

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

/** Text of the page a person can see: rendered, not transparent, not pushed off the canvas, not tiny. */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
    const seen = new Map<Element, boolean>();
    const visible = (el: Element): boolean => {
      const known = seen.get(el);
      if (known !== undefined) return known;
      let ok = el.checkVisibility({
        checkOpacity: true,
        checkVisibilityCSS: true,
        contentVisibilityAuto: true,
      });
      if (ok) {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const right = rect.right + window.scrollX;
        const bottom = rect.bottom + window.scrollY;
        ok =
          rect.width > 0 &&
          rect.height > 0 &&
          right > 0 &&
          bottom > 0 &&
          Number.parseFloat(style.fontSize) >= 6 &&
          style.color !== 'rgba(0, 0, 0, 0)' &&
          el.closest('[aria-hidden="true"]') === null;
      }
      seen.set(el, ok);
      return ok;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent ?? '';
      if (!parent || text.trim() === '') continue;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
      if (visible(parent)) parts.push(text);
    }
    for (const input of Array.from(
      document.querySelectorAll('input[type=submit], input[type=button], button'),
    )) {
      if (input instanceof HTMLInputElement && visible(input)) parts.push(input.value);
    }
    return parts.join(' ');
  });
}

const squash = (text: string) => text.replace(/\s+/g, '').toLowerCase();

/**
 * Checks a passing verdict's evidence on the live page. Returns the problems (empty: it holds).
 * Matching ignores whitespace and case, so text split across elements still matches.
 */
export async function checkEvidence(page: Page, verdict: Verdict): Promise<string[]> {
  const problems: string[] = [];
  const text = squash(await visibleText(page).catch(() => ''));
  for (const claim of verdict.evidence.textVisible) {
    if (!text.includes(squash(claim))) problems.push(`the text "${claim}" is not visible on the page`);
  }
  const url = page.url();
  if (verdict.evidence.urlContains !== undefined && !url.includes(verdict.evidence.urlContains)) {
    problems.push(`the URL ${url} does not contain "${verdict.evidence.urlContains}"`);
  }
  return problems;
}
