/**
 * Locators of recorded steps: how a step names its element so that a replay finds it again without
 * the snapshot refs (which live only as long as one snapshot). At record time the most robust
 * locator that is unique on the page wins, in this order: role + accessible name, label,
 * placeholder, text, CSS. At replay time the recorded one is used as is: a renamed button is a
 * divergence for the agent to heal, not something a looser locator should paper over.
 */
import type { Locator, Page } from 'playwright-core';
import type { ReplayLocator } from '../../../core/types.js';
import { refLocator } from '../../browser/snapshot.js';

/** The Playwright locator of a recorded locator. */
export function resolveLocator(page: Page, locator: ReplayLocator): Locator {
  switch (locator.by) {
    case 'role':
      return page.getByRole(locator.role as Parameters<Page['getByRole']>[0], {
        name: locator.name,
        exact: true,
      });
    case 'label':
      return page.getByLabel(locator.label, { exact: true });
    case 'placeholder':
      return page.getByPlaceholder(locator.placeholder, { exact: true });
    case 'text':
      return page.getByText(locator.text, { exact: true });
    case 'css':
      return page.locator(locator.css);
  }
}

interface ElementFacts {
  label: string;
  placeholder: string;
  text: string;
  css: string;
}

/** Longest name or text kept in a locator: longer ones are content, not a control's name. */
const MAX_NAME = 120;

/** Role and name from the snapshot line the model saw: `button "Sign in"` (quoted lines are skipped). */
export function roleAndName(line: string | undefined): { role: string; name: string } | undefined {
  const match = /^([a-z]+) "((?:[^"\\]|\\.)*)"/.exec(line ?? '');
  if (!match) return undefined;
  try {
    return { role: match[1]!, name: JSON.parse(`"${match[2]}"`) as string };
  } catch {
    return undefined;
  }
}

/**
 * The locator to record for the element behind `ref`, or undefined when no candidate is unique
 * (then the run leaves no script: a replay must never act on a guess). `line` is the element's line
 * of the snapshot the model acted on; it gives role and name without taking another snapshot
 * (which would renumber the refs the model is using).
 */
export async function recordLocator(
  page: Page,
  ref: string,
  line: string | undefined,
  timeout: number,
): Promise<ReplayLocator | undefined> {
  const element = refLocator(page, ref);
  const candidates: ReplayLocator[] = [];
  const node = roleAndName(line);
  if (node && node.role !== 'generic' && node.name && node.name.length <= MAX_NAME) {
    candidates.push({ by: 'role', role: node.role, name: node.name });
  }
  const facts = await element
    .evaluate(
      (el): ElementFacts => {
        const labelled = (el as HTMLInputElement).labels?.[0];
        // Rendered text on purpose: getByLabel and getByText match what a person sees.
        // biome-ignore lint/performance/useDomNodeTextContent: rendered text, as above
        const label = (labelled?.innerText ?? el.getAttribute('aria-label') ?? '')
          .replace(/\s+/g, ' ')
          .trim();
        const placeholder = el.getAttribute('placeholder') ?? '';
        // biome-ignore lint/performance/useDomNodeTextContent: rendered text, as above
        const text = ((el as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim();
        const esc = (value: string) => CSS.escape(value);
        let css = '';
        if (el.id) css = `#${esc(el.id)}`;
        else if (el.getAttribute('name'))
          css = `${el.tagName.toLowerCase()}[name="${el.getAttribute('name')}"]`;
        else {
          const parts: string[] = [];
          for (let node: Element | null = el; node && node !== document.body && parts.length < 5; ) {
            const parent: Element | null = node.parentElement;
            const tag = node.tagName.toLowerCase();
            const same = parent ? Array.from(parent.children).filter((c) => c.tagName === node?.tagName) : [];
            parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(node) + 1})` : tag);
            node = parent;
          }
          css = parts.join(' > ');
        }
        return { label, placeholder, text, css };
      },
      undefined,
      { timeout },
    )
    .catch(() => undefined);
  if (facts) {
    if (facts.label && facts.label.length <= MAX_NAME) candidates.push({ by: 'label', label: facts.label });
    if (facts.placeholder) candidates.push({ by: 'placeholder', placeholder: facts.placeholder });
    if (facts.text && facts.text.length <= MAX_NAME) candidates.push({ by: 'text', text: facts.text });
    if (facts.css) candidates.push({ by: 'css', css: facts.css });
  }
  for (const candidate of candidates) {
    const count = await resolveLocator(page, candidate)
      .count()
      .catch(() => 0);
    if (count === 1) return candidate;
  }
  return undefined;
}
