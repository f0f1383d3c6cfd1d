/**
 * The snapshot line parser against what Chromium really produces: every sample name is put on a
 * page as a button, a link, a heading and a text node, Playwright writes its aria snapshot (AI
 * mode, with refs), and every line must parse to the name on the page and write back unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAriaLine, parseAriaLine } from '../../../src/adapters/browser/aria-line.js';
import { BrowserPool } from '../../../src/adapters/browser/browser-pool.js';
import { createHostPolicy } from '../../../src/core/net/host-policy.js';
import { requireChromium } from '../../support/system.js';

/** Names that make Playwright quote the key or the value, and plain ones around them. */
const SAMPLES = [
  'Sign in',
  'GET /orders/{id}',
  'Download {{what}}',
  'Step 1: Save',
  'Total:',
  "Don't panic",
  "'quoted'",
  'Issue #42',
  '#top',
  'a "double" quote',
  'back\\slash',
  '- dash first',
  '[bracket first',
  'yes',
  '42',
  'Café ☕ 日本語',
  'https://example.com/a?b=c#d',
  '`code`',
  '@mention',
  'x & y > z',
];

let pool: BrowserPool;
let raw: string;

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

beforeAll(async () => {
  pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: requireChromium() } });
  const policy = createHostPolicy({ url: 'http://127.0.0.1/', allowedHosts: [], allowPrivateNetwork: true });
  const context = await pool.newContext({ policy });
  const page = await context.newPage();
  const html = SAMPLES.map(
    (s, i) =>
      `<button>${esc(s)}</button><a href="/p${i}">${esc(s)}</a><h2>${esc(s)}</h2><p>${esc(s)}</p>` +
      `<input aria-label="${esc(s)}" placeholder="${esc(s)}">`,
  ).join('');
  await page.setContent(`<main>${html}</main>`);
  raw = await page.ariaSnapshot({ mode: 'ai' });
  await context.close();
});

afterAll(async () => {
  await pool?.close();
});

describe('parseAriaLine', () => {
  it('writes every line of a real snapshot back unchanged (round trip)', () => {
    const lines = raw.split('\n');
    expect(lines.length).toBeGreaterThan(SAMPLES.length * 4);
    for (const line of lines) {
      const parsed = parseAriaLine(line);
      expect(parsed, line).toBeDefined();
      expect(formatAriaLine(parsed!), line).toBe(line);
    }
  });

  it('reads every sample name, with its role and ref, from buttons, links, headings and text', () => {
    const parsed = raw.split('\n').map((l) => parseAriaLine(l)!);
    for (const sample of SAMPLES) {
      for (const role of ['button', 'link', 'heading', 'textbox']) {
        const hit = parsed.find((l) => l.role === role && l.name === sample);
        expect(hit, `${role} "${sample}"`).toBeDefined();
        expect(hit?.ref, `${role} "${sample}"`).toMatch(/^e\d+$/);
      }
      // A paragraph's text is its value, or a text node under it.
      expect(
        parsed.some((l) => l.value === sample),
        `text "${sample}"`,
      ).toBe(true);
    }
  });

  it('reads quoted keys, quoted values and properties', () => {
    expect(parseAriaLine(`  - 'button "Step 1: Save" [ref=e3] [cursor=pointer]'`)).toEqual({
      depth: 1,
      kind: 'node',
      role: 'button',
      name: 'Step 1: Save',
      attrs: ['ref=e3', 'cursor=pointer'],
      ref: 'e3',
      hasChildren: false,
    });
    expect(parseAriaLine(`- 'link "Don''t panic" [ref=e9]':`)).toMatchObject({
      name: "Don't panic",
      ref: 'e9',
      hasChildren: true,
    });
    expect(parseAriaLine('    - text: "Step 1: \\"go\\"\\x01"')).toMatchObject({
      depth: 2,
      kind: 'text',
      value: 'Step 1: "go"\u0001',
    });
    expect(parseAriaLine('  - /url: /orders/{id}')).toMatchObject({ kind: 'prop', role: '/url' });
    expect(parseAriaLine('- heading "Docs" [level=2] [ref=e4]')).toMatchObject({
      attrs: ['level=2', 'ref=e4'],
      name: 'Docs',
    });
    expect(parseAriaLine('not a list item')).toBeUndefined();
  });
});
