import { describe, expect, it } from 'vitest';
import { isRef, refLocator, takeSnapshot } from '../../../src/adapters/browser/snapshot.js';
import { useFixtureBrowser } from '../../support/fixture-browser.js';

const browser = useFixtureBrowser();
const { openPage } = browser;

describe('takeSnapshot', () => {
  it('lists interactive elements first with refs that resolve back to the elements', async () => {
    const { page, context } = await openPage('/ok/login');
    const snapshot = await takeSnapshot(page);
    const lines = snapshot.text.split('\n');
    expect(lines[0]).toBe(`Page: Sign in — Demo App — ${browser.url}/ok/login`);
    expect(lines[1]).toBe('Interactive elements (use the ref to act):');
    const contentAt = lines.indexOf('Page content:');
    const interactive = lines.slice(2, contentAt);
    expect(interactive.some((l) => /^\[ref=e\d+\] textbox "Username"$/.test(l))).toBe(true);
    expect(interactive.some((l) => /^\[ref=e\d+\] button "Sign in"$/.test(l))).toBe(true);
    expect(lines.slice(contentAt).join('\n')).toContain('heading "Sign in" [level=1]');
    const userRef = /\[ref=(e\d+)\] textbox "Username"/.exec(snapshot.text)![1]!;
    await refLocator(page, userRef).fill('demo');
    expect(await page.locator('input[name=username]').inputValue()).toBe('demo');
    expect(snapshot.tokens).toBeLessThan(2_000);
    await context.close();
  });

  it('folds select options into the select line', async () => {
    const { page, context } = await openPage('/ok/login');
    await page.setContent(
      '<label>Region <select><option>Europe</option><option>United States</option></select></label>',
    );
    const snapshot = await takeSnapshot(page);
    expect(snapshot.text).toMatch(
      /\[ref=e\d+\] combobox "Region" \(options: "Europe" \[selected\], "United States"\)/,
    );
    await context.close();
  });

  it('caps the size of a huge page and says what it left out', async () => {
    const { page, context } = await openPage('/ok/login');
    const items = Array.from(
      { length: 2_000 },
      (_, i) => `<li><a href="/item/${i}">Item number ${i}</a></li>`,
    ).join('');
    await page.setContent(`<h1>Catalogue</h1><ul>${items}</ul>`);
    const snapshot = await takeSnapshot(page, { maxChars: 4_000 });
    expect(snapshot.text.length).toBeLessThanOrEqual(4_000);
    expect(snapshot.truncated).toBe(true);
    expect(snapshot.text).toMatch(/… \d+ more interactive elements not shown/);
    await context.close();
  });

  it('applies the redactor to every line', async () => {
    const { page, context } = await openPage('/ok/login');
    await page.setContent('<p>token hunter2 here</p><button>hunter2</button>');
    const snapshot = await takeSnapshot(page, { redact: (t) => t.replaceAll('hunter2', '[secret X]') });
    expect(snapshot.text).not.toContain('hunter2');
    expect(snapshot.text).toContain('button "[secret X]"');
    await context.close();
  });

  it('keeps the ref of elements whose names Playwright quotes (colons, braces, quotes, #)', async () => {
    const { page, context } = await openPage('/ok/login');
    const names = ['GET /orders/{id}', 'Download {{what}}', 'Step 1: Save', "Don't panic", 'Issue #42'];
    await page.setContent(names.map((n) => `<button>${n}</button>`).join(''));
    const snapshot = await takeSnapshot(page);
    const [interactive, content] = snapshot.text.split('Page content:');
    for (const name of names) {
      const ref = new RegExp(
        `^\\[ref=(e\\d+)\\] button ${JSON.stringify(name).replace(/[{}]/g, '\\$&')}$`,
        'm',
      ).exec(interactive ?? '')?.[1];
      expect(ref, `${name} in\n${snapshot.text}`).toBeDefined();
      expect(await refLocator(page, ref!).textContent()).toBe(name);
    }
    expect(content).not.toContain('button');
    await context.close();
  });

  it('keeps the text and ref of links inside headings and sentences', async () => {
    const { page, context } = await openPage('/ok/login');
    await page.setContent(
      '<h2><a href="/docs">Docs</a></h2><p>See the <a href="/guide">configuration guide</a> for every option.</p>',
    );
    const snapshot = await takeSnapshot(page);
    const content = snapshot.text.split('Page content:')[1] ?? '';
    expect(content).toMatch(/^heading (?:"Docs" )?\[level=2\]: link "Docs" \[ref=e\d+\]$/m);
    expect(content).toMatch(
      /^paragraph: See the link "configuration guide" \[ref=e\d+\] for every option\.$/m,
    );
    expect(snapshot.text).toMatch(/^\[ref=e\d+\] link "configuration guide"$/m);
    await context.close();
  });

  it('accepts only snapshot refs', () => {
    expect(isRef('e12')).toBe(true);
    expect(isRef('f1e3')).toBe(true);
    expect(isRef('css=body')).toBe(false);
    expect(() => refLocator({} as never, 'xpath=//a')).toThrow('is not an element ref');
  });
});
