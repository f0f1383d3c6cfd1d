/**
 * The compact page snapshot the model reads and acts on: Playwright's AI-mode accessibility tree
 * (`page.ariaSnapshot({ mode: 'ai' })`, which tags elements with `[ref=eN]`), rearranged so that
 * interactive elements come first, stripped of empty containers, and capped to a size budget.
 * Refs resolve back to elements through Playwright's `aria-ref=` selector, against the latest
 * snapshot of the page.
 */
import type { Locator, Page } from 'playwright-core';
import { type AriaLine, parseAriaLine } from './aria-line.js';

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

/** Attributes that only describe the pointer or focus: noise for the model. */
const NOISE = new Set(['cursor=pointer', 'active']);
/** Containers that carry no meaning of their own. */
const EMPTY_CONTAINERS = new Set(['generic', 'group', 'none', 'presentation']);
/** Roles that flow inside a sentence: folded into their heading, paragraph or cell. */
const INLINE_ROLES = new Set([
  'generic',
  'strong',
  'emphasis',
  'code',
  'mark',
  'time',
  'subscript',
  'superscript',
  'deletion',
  'insertion',
  'img',
]);
const MAX_FOLDED = 300;

interface Node {
  line: AriaLine;
  children: Node[];
}

/** `role "name" [attrs]: value` without the ref and the pointer noise. */
function label(line: AriaLine): string {
  if (line.kind === 'text') return line.value ?? '';
  let out = line.role;
  if (line.name) out += ` ${JSON.stringify(line.name)}`;
  for (const attr of line.attrs) if (!attr.startsWith('ref=') && !NOISE.has(attr)) out += ` [${attr}]`;
  if (line.value !== undefined && line.value !== line.name) out += `: ${line.value}`;
  return out;
}

function isInteractive(line: AriaLine): boolean {
  return line.kind === 'node' && line.ref !== undefined && INTERACTIVE_ROLES.has(line.role);
}

/** The parts of a sentence-like node, or undefined when it holds more than inline content. */
function inlineParts(node: Node): string[] | undefined {
  const parts: string[] = [];
  for (const child of node.children) {
    const { line } = child;
    if (line.kind === 'prop') continue;
    if (line.kind === 'text') parts.push(line.value ?? '');
    else if (isInteractive(line)) parts.push(`${label(line)} [ref=${line.ref}]`);
    else if (INLINE_ROLES.has(line.role)) {
      const inner = inlineParts(child);
      if (inner === undefined) return undefined;
      if (line.role === 'img' && line.name) parts.push(label(line));
      parts.push(...(child.children.length ? inner : line.name && line.role !== 'img' ? [line.name] : []));
    } else return undefined;
  }
  return parts;
}

/** Parses the raw snapshot into a tree of lines (by indentation). */
function parseTree(raw: string): Node[] {
  const roots: Node[] = [];
  const stack: Node[] = [];
  for (const text of raw.split('\n')) {
    const line = parseAriaLine(text);
    if (!line) continue;
    const node: Node = { line, children: [] };
    while (stack.length && (stack[stack.length - 1] as Node).line.depth >= line.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/**
 * Flattens the tree into the lines the model reads. A heading, paragraph or cell whose content is
 * a sentence (text with links and buttons inside) becomes one line that keeps every part, with
 * the ref of each clickable one: `paragraph: See the link "guide" [ref=e6] for every option`.
 */
function flatten(nodes: Node[], depth: number, out: Line[]): void {
  for (const node of nodes) {
    const { line } = node;
    if (line.kind === 'prop') continue;
    const interactive = isInteractive(line);
    if (
      !interactive &&
      line.kind === 'node' &&
      EMPTY_CONTAINERS.has(line.role) &&
      !line.name &&
      line.value === undefined
    ) {
      flatten(node.children, depth, out);
      continue;
    }
    const entry: Line = { role: line.kind === 'text' ? 'text' : line.role, text: label(line), depth };
    if (line.ref) entry.ref = line.ref;
    if (!interactive && line.kind === 'node' && node.children.length > 0) {
      const parts = inlineParts(node);
      const sentence = parts?.filter((p) => p.trim() !== '').join(' ');
      if (parts && sentence && sentence.length <= MAX_FOLDED) {
        entry.text = `${entry.text}: ${sentence}`;
        out.push(entry);
        // The clickable parts are still listed (first) as interactive elements.
        collectInteractive(node.children, depth + 1, out);
        continue;
      }
    }
    out.push(entry);
    flatten(node.children, depth + 1, out);
  }
}

/** Interactive descendants of a folded line: listed with the interactive elements only. */
function collectInteractive(nodes: Node[], depth: number, out: Line[]): void {
  for (const node of nodes) {
    if (isInteractive(node.line)) {
      out.push({ role: node.line.role, text: label(node.line), ref: node.line.ref as string, depth });
    }
    collectInteractive(node.children, depth + 1, out);
  }
}

/** Reads the page into a compact snapshot (interactive elements first, size-capped). */
export async function takeSnapshot(page: Page, options: SnapshotOptions = {}): Promise<PageSnapshot> {
  const maxChars = options.maxChars ?? 8_000;
  const redact = options.redact ?? ((t: string) => t);
  const raw = await page.ariaSnapshot({ mode: 'ai', timeout: 10_000 });
  const lines: Line[] = [];
  flatten(parseTree(raw), 0, lines);
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
