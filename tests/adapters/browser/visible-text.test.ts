/**
 * The visible text read from a live Chromium page: what the evidence check, `expect.text` and the
 * failure excerpts all compare against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../../src/adapters/browser/browser-pool.js';
import { readPageText } from '../../../src/adapters/browser/visible-text.js';
import { createHostPolicy } from '../../../src/core/net/host-policy.js';
import { isTextVisible, visibleExcerpt } from '../../../src/core/run/visible-text.js';
import { type FixtureApps, startFixtureApps } from '../../support/fixture-apps.js';
import { requireChromium } from '../../support/system.js';

let apps: FixtureApps;
let pool: BrowserPool;

beforeAll(async () => {
  apps = await startFixtureApps();
  pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: requireChromium() } });
});

afterAll(async () => {
  await pool?.close();
  await apps?.close();
});

async function textOf(html: string) {
  const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: true });
  const context = await pool.newContext({ policy });
  try {
    const page = await context.newPage();
    await page.goto(`${apps.url}/ok/login`);
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
