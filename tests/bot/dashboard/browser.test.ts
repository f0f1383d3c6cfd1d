/**
 * The dashboard in real Chromium: sign in through the GitHub stand-in's OAuth pages, see your
 * repositories, open a test, press Run now and watch its steps arrive live; a person without access
 * gets 404 everywhere; a reader gets no Run now button and a forged POST is refused. axe-core
 * checks every page; each page's screenshot is left in test-artifacts/dashboard/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireChromium } from '../../support/system.js';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '../../../test-artifacts/dashboard');

/** Runs axe-core on the page: no serious or critical violation; saves a screenshot. */
async function checkPage(page: Page, name: string): Promise<void> {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
  );
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe-core on ${name} (${page.url()})`).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('dashboard in Chromium', () => {
  let h: DashboardHarness;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startDashboard();
    await seedShop(h);
    browser = await chromium.launch({
      executablePath: requireChromium(),
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function signedIn(login: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    h.gh.signInAs(login);
    await page.goto(`${h.url}/`);
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your repositories' }).waitFor();
    return { context, page };
  }

  it('signs in, lists the repositories, opens a test, runs it and shows its steps as they happen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.url}/`);
    await checkPage(page, 'sign-in');
    h.gh.signInAs(PEOPLE.writer);
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your repositories' }).waitFor();
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'acme/ops',
      'acme/shop',
    ]);
    await checkPage(page, 'home');

    await page.getByRole('link', { name: 'acme/shop' }).click();
    await page.getByRole('heading', { level: 1, name: 'acme/shop' }).waitFor();
    await checkPage(page, 'repository');

    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    await checkPage(page, 'test');

    h.agent.status = 'failed';
    h.agent.steps = 3;
    h.agent.stepMs = 700;
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/r\/acme\/shop\/checkout#live-title$/);
    // A marker on this document: the steps must arrive without a reload.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    const live = page.locator('#live-events li');
    await live.filter({ hasText: 'step 1 of 3' }).waitFor();
    expect(await live.filter({ hasText: 'fail:' }).count(), 'the run is still going when step 1 shows').toBe(
      0,
    );
    await live.filter({ hasText: 'step 3 of 3' }).waitFor();
    await live.filter({ hasText: 'fail: the cart stayed empty' }).waitFor();
    expect(await live.allTextContents()).toEqual([
      'step: step 1 of 3',
      'step: step 2 of 3',
      'step: step 3 of 3',
      'fail: the cart stayed empty',
    ]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(h.agent.calls).toHaveLength(1);

    // The failed run's screenshot is kept and shown.
    await expect.poll(async () => (await h.keys('shot:*')).length).toBe(1);
    await page.reload();
    const shot = page.getByRole('img', { name: /Screenshot of the failed run/ });
    await shot.waitFor();
    expect(await shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await checkPage(page, 'test-after-run');
    await context.close();
  });

  it('answers 404 on every page and API route of a repository the person cannot read', async () => {
    const { context, page } = await signedIn(PEOPLE.outsider);
    expect(await page.getByText('No repository you can read').count()).toBe(1);
    await checkPage(page, 'home-outsider');
    for (const path of [
      '/r/acme/shop',
      '/r/acme/shop/checkout',
      '/r/acme/shop/checkout/events',
      '/r/acme/shop/checkout/shot.png',
    ]) {
      const response = await page.goto(`${h.url}${path}`);
      expect(response?.status(), path).toBe(404);
    }
    await checkPage(page, 'not-found');
    const before = await h.snapshot();
    const calls = h.agent.calls.length;
    const forged = await context.request.post(`${h.url}/r/acme/shop/checkout/run`, {
      form: { csrf: 'anything' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(404);
    expect(h.agent.calls).toHaveLength(calls);
    expect(await h.snapshot()).toEqual(before);
    await context.close();
  });

  it('shows a reader no Run now button and refuses their forged POST', async () => {
    const { context, page } = await signedIn(PEOPLE.reader);
    await page.goto(`${h.url}/r/acme/shop/checkout`);
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    await checkPage(page, 'test-reader');
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const calls = h.agent.calls.length;
    const forged = await context.request.post(`${h.url}/r/acme/shop/checkout/run`, {
      form: { csrf },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(h.agent.calls).toHaveLength(calls);
    expect((await page.goto(`${h.url}/r/acme/ops`))?.status()).toBe(404);
    await context.close();
  });
});
