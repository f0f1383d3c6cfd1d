/**
 * Incident history on the status page, end to end: one test breaks and recovers twice through signed
 * deliveries to the app (store, outbox, issues on the GitHub stand-in), and both incidents are listed
 * with links to their issues in the page (real Chromium) and the read API. Reasons appear only with
 * `show_goals`, as everywhere on the public page.
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/index.js';
import { syncFile } from '../support/status-history.js';
import { requireChromium } from '../support/system.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

const FILE = (statusPage: string) => `version: 1
${statusPage}
tests:
  - name: Checkout
    id: checkout
    url: https://shop.example.com/checkout
    goal: pay for one item with the test card
`;
const ID = 'acme--shop--checkout';

let h: Harness;
let browser: Browser;

async function sync(statusPage: string): Promise<void> {
  if (!(h.store instanceof RedisStore)) throw new Error('the harness store must be the Redis store');
  await syncFile(h.store, FILE(statusPage));
}

async function deliver(status: 'passed' | 'failed', reason?: string): Promise<void> {
  h.agent.verdict.set(ID, { status, ...(reason ? { reason } : {}) });
  const res = await deliverScheduled(h.url, h.signing.current, ID);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

/** Waits for `read` to give `want` (the outbox creates issues after the delivery answers). */
async function until<T>(what: string, read: () => T | Promise<T>, want: T): Promise<void> {
  const deadline = Date.now() + 20_000;
  let got = await read();
  while (got !== want) {
    if (Date.now() > deadline)
      throw new Error(`${what}: expected ${String(want)}, still ${String(got)} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    got = await read();
  }
}

/** Two failed runs open an incident (its issue is created through the outbox), one pass resolves it. */
async function incidentThatRecovers(reason: string, issues: number): Promise<void> {
  await deliver('failed', reason);
  await deliver('failed', reason);
  await until('incident issues on the GitHub stand-in', () => h.gh.issuesOf('acme/shop').length, issues);
  await deliver('passed');
  await until('incident status', async () => (await h.store.getIncident(ID))?.status, 'resolved');
}

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: requireChromium(),
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  h = await startHarness();
  await sync('status_page:\n  public: true');
  await deliver('passed');
  await incidentThatRecovers('REASON-ONE the pay button did nothing', 1);
  await incidentThatRecovers('REASON-TWO the card was declined', 2);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('incident history on the status page', () => {
  it('lists both resolved incidents of one test, newest first, with links to their issues, in the page and the API', async () => {
    const [first, second] = h.gh.issuesOf('acme/shop').sort((a, b) => a.number - b.number);
    if (!first || !second) throw new Error('the two incident issues were not opened on the GitHub stand-in');
    const page = await browser.newPage();
    expect((await page.goto(`${h.url}/status/acme/shop`))?.status()).toBe(200);
    const section = page.locator('section[aria-labelledby="history-h"]');
    expect(await section.locator('h2').textContent()).toBe('Incident history (90 days)');
    const rows = section.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (const [i, issue] of [second, first].entries()) {
      const row = rows.nth(i);
      expect(await row.locator('td').first().textContent()).toBe('Checkout');
      expect(await row.locator('td').nth(2).textContent()).toMatch(/^resolved after /);
      const link = row.locator('a', { hasText: `issue #${issue.number}` });
      expect(await link.getAttribute('href')).toBe(`${h.gh.url}/acme/shop/issues/${issue.number}`);
    }
    expect(await page.locator('section[aria-labelledby="open-h"]').textContent()).toContain(
      'No open incidents.',
    );
    await page.close();

    const api = JSON.parse(await (await fetch(`${h.url}/api/v1/status/acme/shop`)).text());
    expect(
      api.history.map((i: { slug: string; status: string; issueNumber: number }) => [
        i.slug,
        i.status,
        i.issueNumber,
      ]),
    ).toEqual([
      ['checkout', 'resolved', second.number],
      ['checkout', 'resolved', first.number],
    ]);
    expect(api.history[0].resolvedAt > api.history[1].resolvedAt).toBe(true);
  });

  it('shows the incidents’ reasons in the history only when show_goals is set', async () => {
    const hidden = [
      await (await fetch(`${h.url}/status/acme/shop`)).text(),
      await (await fetch(`${h.url}/api/v1/status/acme/shop`)).text(),
    ];
    for (const body of hidden) expect(body).not.toMatch(/REASON-ONE|REASON-TWO/);

    await sync('status_page:\n  public: true\n  show_goals: true');
    const page = await (await fetch(`${h.url}/status/acme/shop`)).text();
    expect(page).toContain('REASON-ONE the pay button did nothing');
    expect(page).toContain('REASON-TWO the card was declined');
    const api = JSON.parse(await (await fetch(`${h.url}/api/v1/status/acme/shop`)).text());
    expect(api.history.map((i: { lastReason: string }) => i.lastReason)).toEqual([
      'REASON-TWO the card was declined',
      'REASON-ONE the pay button did nothing',
    ]);
  });
});
