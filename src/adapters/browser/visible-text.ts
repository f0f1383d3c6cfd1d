/**
 * Reads the two texts of the shared definition of visible text (src/core/run/visible-text.ts) from
 * a live page: `rendered` (as drawn, CSS text-transform applied) and `source` (the text nodes of visible elements). Bounded in
 * time: while a navigation is pending, evaluate would wait for a page that may never come.
 */
import type { Page } from 'playwright-core';
import type { PageText } from '../../core/run/visible-text.js';
import { within } from './bounded.js';

const EMPTY: PageText = { rendered: '', source: '' };

/** The page's visible text, or empty texts when it cannot be read within `timeoutMs`. */
export function readPageText(page: Page, timeoutMs = 2_000): Promise<PageText> {
  // Sent as source with a no-op `__name`: transpilers that keep function names (tsx, vitest) wrap
  // inner functions in a helper that does not exist in the page.
  const source = `(() => { const __name = (f) => f; return (${collectPageText.toString()})(); })()`;
  return within(page.evaluate(source) as Promise<PageText>, timeoutMs, EMPTY);
}

/** Runs in the page. Kept self-contained: Playwright serialises it as source. */
function collectPageText(): PageText {
  const root = document.body ?? document.documentElement;
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
      ok =
        rect.width > 0 &&
        rect.height > 0 &&
        rect.right + window.scrollX > 0 &&
        rect.bottom + window.scrollY > 0 &&
        Number.parseFloat(style.fontSize) >= 6 &&
        style.color !== 'rgba(0, 0, 0, 0)' &&
        el.closest('[aria-hidden="true"]') === null;
    }
    seen.set(el, ok);
    return ok;
  };
  const parts: string[] = [];
  // The rendered reading is built from the same visible text nodes (innerText would also count
  // text pushed off-screen or drawn 1 px tall), with the CSS text-transform applied as drawn.
  const drawn: string[] = [];
  const transform = (text: string, el: Element): string => {
    const how = getComputedStyle(el).textTransform;
    if (how === 'uppercase') return text.toUpperCase();
    if (how === 'lowercase') return text.toLowerCase();
    if (how === 'capitalize')
      return text.replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toUpperCase());
    return text;
  };
  // The nearest ancestor that is drawn as a box of its own (not inline): text in another box is
  // on another line, so a space goes between them ("Demo Shop" and "Error", not "Demo ShopError").
  const boxes = new Map<Element, Element>();
  const boxOf = (el: Element): Element => {
    const known = boxes.get(el);
    if (known) return known;
    const display = getComputedStyle(el).display;
    const parent = el.parentElement;
    const box =
      (display === 'inline' || display === 'contents') && parent && el !== root ? boxOf(parent) : el;
    boxes.set(el, box);
    return box;
  };
  let lastBox: Element | undefined;
  if (root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent ?? '';
      if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
      if (text.trim() === '') {
        drawn.push(' ');
        continue;
      }
      if (!visible(parent)) continue;
      const box = boxOf(parent);
      if (lastBox && box !== lastBox) drawn.push(' ');
      lastBox = box;
      parts.push(text);
      drawn.push(transform(text, parent));
    }
    // Button labels given as a value are text a person reads, but no text node holds them.
    for (const input of Array.from(root.querySelectorAll('input[type=submit], input[type=button]'))) {
      if (input instanceof HTMLInputElement && visible(input)) {
        parts.push(input.value);
        drawn.push(` ${transform(input.value, input)} `);
      }
    }
  }
  const rendered = drawn.join('');
  return { rendered, source: parts.join(' ') };
}
