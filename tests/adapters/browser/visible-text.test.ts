/**
 * The visible text read from a live Chromium page: what the evidence check, `expect.text` and the
 * failure excerpts all compare against.
 */
import { describe, expect, it } from 'vitest';
import { readPageText } from '../../../src/adapters/browser/visible-text.js';
import { isTextVisible, visibleExcerpt } from '../../../src/core/run/visible-text.js';
import { useFixtureBrowser } from '../../support/fixture-browser.js';

const { openPage } = useFixtureBrowser();

async function textOf(html: string) {
  const { page, context } = await openPage('/ok/login');
  try {
    await page.setContent(html);
    return await readPageText(page);
  } finally {
    await context.close();
  }
}

describe('readPageText', () => {
  it('keeps the words of neighbouring blocks apart, also when a block ends in an inline element', async () => {
    const text = await textOf(
      '<header><strong>Demo Shop</strong></header><main><h1>Internal Server Error</h1><ul><li>one</li><li><a href="#">two</a></li></ul></main>',
    );
    expect(visibleExcerpt(text)).toBe('Demo Shop Internal Server Error one two');
    expect(isTextVisible(text, 'ShopInternal')).toBe(false);
  });

  it('joins words split across inline elements, as they are drawn', async () => {
    const text = await textOf('<p>Wel<b>come</b>, <span>Demo</span></p>');
    expect(isTextVisible(text, 'Welcome, Demo')).toBe(true);
  });

  it('leaves out hidden text and applies text-transform to the rendered text', async () => {
    const text = await textOf(
      '<p style="text-transform:uppercase">sign in</p><p hidden>secret note</p><div aria-hidden="true">decor</div>',
    );
    expect(text.rendered).toContain('SIGN IN');
    expect(isTextVisible(text, 'secret note')).toBe(false);
    expect(isTextVisible(text, 'decor')).toBe(false);
  });
});
