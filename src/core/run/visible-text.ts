/**
 * The one definition of "visible text", shared by `expect.text` (the checks agent), the evidence
 * check of an AI verdict and replay. A page gives two readings of what a person sees:
 *
 * - `rendered`: the text as drawn (`innerText`): CSS applied, so `text-transform: uppercase` turns
 *   "Login" into "LOGIN" and block elements are separated by line breaks;
 * - `source`: the text of the DOM's text nodes inside visible elements (`textContent` of what is
 *   shown): as written in the page, before CSS changes its case or spacing.
 *
 * Hidden elements (display:none, visibility:hidden, transparent, zero-sized, aria-hidden) count in
 * neither. A string is visible when it appears in either reading, with runs of whitespace collapsed
 * to one space and case ignored. Pure: the browser adapter reads the two texts
 * (src/adapters/browser/visible-text.ts).
 */

/** The two readings of a page's visible text. */
export interface PageText {
  rendered: string;
  source: string;
}

/** Whitespace runs collapsed to one space, trimmed, lower-cased: the form every comparison uses. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** True when `needle` is in the rendered or the source text (whitespace collapsed, case ignored). */
export function isTextVisible(page: PageText, needle: string): boolean {
  const wanted = normalizeText(needle);
  if (wanted === '') return true;
  return normalizeText(page.rendered).includes(wanted) || normalizeText(page.source).includes(wanted);
}

/** The strings of `needles` that are not visible, in their order. */
export function missingTexts(page: PageText, needles: readonly string[]): string[] {
  return needles.filter((n) => !isTextVisible(page, n));
}

/**
 * A short excerpt of what was visible (the rendered text, whitespace collapsed), for failure
 * reasons: it shows a user why a string did not match (another case, another wording, an error
 * page). Cut at `max` characters with an ellipsis.
 */
export function visibleExcerpt(page: PageText, max = 120): string {
  const text = (page.rendered.trim() ? page.rendered : page.source).replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
