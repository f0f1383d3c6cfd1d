/**
 * The compact page snapshot the model reads and acts on: Playwright's AI-mode accessibility tree
 * (`page.ariaSnapshot({ mode: 'ai' })`, which tags elements with `[ref=eN]`), rearranged so that
 * interactive elements come first, stripped of empty containers, and capped to a size budget.
 * Refs resolve back to elements through Playwright's `aria-ref=` selector, against the latest
 * snapshot of the page.
 */
import type { Locator, Page } from 'playwright-core';

/** Roles a user acts on; they are listed first, one per line, with their ref. */
const INTERACTIVE_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'tab',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'treeitem',
]);

export interface PageSnapshot {
  /** The text given to the model. */
  text: string;
  /** Rough token count (characters / 4). */
  tokens: number;
  /** True when lines were dropped to stay within the budget. */
  truncated: boolean;
  /** Number of interactive elements listed. */
  interactive: number;
}

export interface SnapshotOptions {
  /** Maximum characters of the snapshot (default 8,000 ≈ 2,000 tokens). */
  maxChars?: number;
  /** Applied to every line before it is measured (secret redaction). */
  redact?: (text: string) => string;
}

interface Line {
  role: string;
  text: string;
  ref?: string;
  depth: number;
}

const REF = /\s*\[ref=([a-z0-9]+)\]/;
const NOISE = /\s*\[(?:cursor=pointer|active)\]/g;

function parseLine(raw: string): Line | undefined {
  const match = /^(\s*)- (.*)$/.exec(raw);
  if (!match) return undefined;
  let body = match[2] ?? '';
  const ref = REF.exec(body)?.[1];
  body = body.replace(REF, '').replace(NOISE, '');
  // `generic:` / `generic [ref=e3]:` containers carry no meaning of their own.
  if (/^(generic|group|none|presentation)\s*:?\s*$/.test(body)) return undefined;
  if (/^\/url: /.test(body)) return undefined;
  const role = /^([a-z]+)/.exec(body)?.[1] ?? 'text';
  const line: Line = { role, text: body.replace(/:$/, ''), depth: Math.floor((match[1] ?? '').length / 2) };
  if (ref) line.ref = ref;
  return line;
}

/** Reads the page into a compact snapshot (interactive elements first, size-capped). */
export async function takeSnapshot(page: Page, options: SnapshotOptions = {}): Promise<PageSnapshot> {
  const maxChars = options.maxChars ?? 8_000;
  const redact = options.redact ?? ((t: string) => t);
  const raw = await page.ariaSnapshot({ mode: 'ai', timeout: 10_000 });
  const lines = raw
    .split('\n')
    .map(parseLine)
    .filter((l): l is Line => l !== undefined);
  // A select's options are folded into its line: `combobox "Region" (options: "Europe", "United States")`.
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.role !== 'combobox' && line.role !== 'listbox') continue;
    const options: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.depth > line.depth; j += 1) {
      const option = lines[j]!;
      if (option.role === 'option') options.push(option.text.replace(/^option\s*/, ''));
    }
    if (options.length) line.text += ` (options: ${options.slice(0, 30).join(', ')})`;
  }
  const interactive = lines.filter((l) => l.ref && INTERACTIVE_ROLES.has(l.role));
  const content = lines.filter((l) => !(l.ref && INTERACTIVE_ROLES.has(l.role)) && l.role !== 'option');

  const header = redact(`Page: ${await page.title().catch(() => '')} — ${page.url()}`);
  const out: string[] = [header, 'Interactive elements (use the ref to act):'];
  let used = out.join('\n').length;
  let truncated = false;
  let listed = 0;
  // Interactive elements get up to 60% of the budget, the page's text the rest.
  const interactiveBudget = Math.floor(maxChars * 0.6);
  for (const line of interactive) {
    const text = redact(`[ref=${line.ref}] ${line.text}`);
    if (used + text.length + 1 > interactiveBudget) {
      out.push(`… ${interactive.length - listed} more interactive elements not shown`);
      truncated = true;
      break;
    }
    out.push(text);
    used += text.length + 1;
    listed += 1;
  }
  if (interactive.length === 0) out.push('(none)');
  out.push('Page content:');
  used = out.join('\n').length;
  for (let i = 0; i < content.length; i += 1) {
    const line = content[i]!;
    const text = redact(`${'  '.repeat(Math.min(line.depth, 4))}${line.text}`);
    if (used + text.length + 1 > maxChars - 60) {
      out.push(`… ${content.length - i} more lines not shown (use wait_for_text or scroll)`);
      truncated = true;
      break;
    }
    out.push(text);
    used += text.length + 1;
  }
  const text = out.join('\n');
  return { text, tokens: Math.ceil(text.length / 4), truncated, interactive: listed };
}

/** True for the refs snapshots print (`e12`, `f1e3` for elements inside frames). */
export function isRef(ref: string): boolean {
  return /^(?:f\d+)?e\d+$/.test(ref);
}

/**
 * The element behind a ref of the page's latest snapshot.
 * @throws Error when the ref is not of the snapshot's form.
 */
export function refLocator(page: Page, ref: string): Locator {
  if (!isRef(ref)) throw new Error(`"${ref}" is not an element ref; use a ref such as e12 from the snapshot`);
  return page.locator(`aria-ref=${ref}`);
}
