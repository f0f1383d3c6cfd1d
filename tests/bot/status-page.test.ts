/**
 * The public status page end to end: definitions synced (with `status_page:`), runs recorded through
 * signed QStash deliveries to the app over real HTTP (store, rollups, incident issue on the GitHub
 * stand-in), then the page opened in real Chromium, checked with axe-core in light and dark mode,
 * and screenshotted into test-artifacts/. Also: 404 / "unknown" for a private repository, badges and
 * the read API, and no goal, reason or URL in public HTML unless `show_goals`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/index.js';
import { statusStoreOf } from '../../src/adapters/store/status-store.js';
import { syncTests } from '../../src/app/sync-tests.js';
import { parseDefinitions } from '../../src/core/config/parse.js';
import { repoRoot } from '../support/cli.js';
import { requireChromium } from '../support/system.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

const ARTIFACTS = join(repoRoot, 'test-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SHOP = (statusPage: string) => `version: 1
${statusPage}
tests:
  - name: Home page
    id: home
    url: https://shop.example.com/secret-home-path
    goal: GOAL-MARKER open the home page and see the offers
  - name: Checkout
    id: checkout
    url: https://shop.example.com/secret-checkout-path
    goal: GOAL-MARKER pay for one item with the test card
  - name: Search
    id: search
    url: https://shop.example.com/secret-search-path
    expect: { status: 200, text: ["Results"] }
  - name: Newsletter
    id: newsletter
    url: https://shop.example.com/secret-newsletter-path
    expect: { status: 200 }
`;
const BLOG = `version: 1
tests:
  - name: Posts
    id: posts
    url: https://blog.example.com/posts
    expect: { status: 200 }
`;

let h: Harness;
let browser: Browser;

async function sync(repo: string, file: string): Promise<void> {
  const parsed = parseDefinitions(file, { file: 'housecat.yml', repo });
  if (!parsed.ok) throw new Error(`fixture file invalid: ${JSON.stringify(parsed.diagnostics)}`);
  if (!(h.store instanceof RedisStore)) throw new Error('the harness store must be the Redis store');
  await syncTests(
    {
      store: h.store,
      scheduler: null,
      clock: { now: () => Date.now() },
      statusPages: statusStoreOf(h.store),
    },
    { repo, tests: parsed.tests, ...(parsed.statusPage ? { statusPage: parsed.statusPage } : {}) },
  );
}

async function deliver(testId: string): Promise<void> {
  const res = await deliverScheduled(h.url, h.signing.current, testId);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: requireChromium(),
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  h = await startHarness();
  await sync('acme/shop', SHOP('status_page:\n  public: true\n  title: Acme Shop status'));
  await sync('acme/blog', BLOG);
  h.agent.verdict.set('acme--shop--home', { status: 'passed', responseMs: 180 });
  h.agent.verdict.set('acme--shop--search', { status: 'passed', responseMs: 90 });
  h.agent.verdict.set('acme--shop--checkout', { status: 'passed', responseMs: 700 });
  for (const id of ['acme--shop--home', 'acme--shop--search', 'acme--shop--checkout', 'acme--blog--posts']) {
    await deliver(id);
  }
  await deliver('acme--shop--home');
  // Newsletter never reached a verdict: its only runs are inconclusive.
  h.agent.verdict.set('acme--shop--newsletter', {
    status: 'error',
    reason: 'the Anthropic API answered 529 overloaded',
  });
  await deliver('acme--shop--newsletter');
  await deliver('acme--shop--newsletter');
  h.agent.verdict.set('acme--shop--search', { status: 'error', reason: 'browser crashed' });
  await deliver('acme--shop--search');
  // Checkout breaks: two failed runs reach its failure threshold and open an incident issue.
  h.agent.verdict.set('acme--shop--checkout', {
    status: 'failed',
    reason: 'REASON-MARKER the pay button did nothing',
    responseMs: 2600,
  });
  await deliver('acme--shop--checkout');
  await deliver('acme--shop--checkout');
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the public status page', () => {
  it('shows each test’s name, state and uptime as recorded, and the broken test failing with its incident linked', async () => {
    const [issue] = h.gh.issuesOf('acme/shop');
    expect(issue, 'the incident issue was not opened on the GitHub stand-in').toBeDefined();
    const page = await browser.newPage();
    const res = await page.goto(`${h.url}/status/acme/shop`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Acme Shop status');
    expect(await page.locator('.overall').textContent()).toBe('Incident in progress');

    const card = (slug: string) => page.locator(`#test-${slug}`);
    const figure = async (slug: string, label: string) =>
      (await card(slug).locator('dl.figures div', { hasText: label }).locator('dd').textContent())?.trim();
    const expected = [
      { slug: 'checkout', name: 'Checkout', state: 'Failing', uptime: '33.33%', p95: '≤ 3 s' },
      { slug: 'home', name: 'Home page', state: 'Passing', uptime: '100%', p95: '≤ 200 ms' },
      // The errored run counts for neither side: Search stays at 100% and passing.
      { slug: 'search', name: 'Search', state: 'Passing', uptime: '100%', p95: '≤ 100 ms' },
    ];
    expect(await page.locator('ul.tests h3').allTextContents()).toEqual([
      'Checkout',
      'Home page',
      'Newsletter',
      'Search',
    ]);
    for (const t of expected) {
      expect(await card(t.slug).locator('h3').textContent()).toBe(t.name);
      expect(await card(t.slug).locator('.state').textContent()).toBe(t.state);
      for (const label of ['Uptime 24 h', 'Uptime 7 d', 'Uptime 30 d']) {
        expect(await figure(t.slug, label), `${t.slug} ${label}`).toBe(t.uptime);
      }
      expect(await figure(t.slug, 'p95 (24 h)'), `${t.slug} p95`).toBe(t.p95);
    }
    const link = card('checkout').locator('a', { hasText: `issue #${issue?.number}` });
    expect(await link.getAttribute('href')).toBe(`${h.gh.url}/acme/shop/issues/${issue?.number}`);
    const openLinks = page.locator('section[aria-labelledby="open-h"] a');
    expect(await openLinks.allTextContents()).toEqual(['Checkout', `issue #${issue?.number}`]);
    expect(await card('checkout').locator('svg.heartbeat').getAttribute('aria-label')).toBe(
      'Last 3 runs: 1 passed, 2 failed, 0 inconclusive, 0 skipped; newest on the right',
    );
    await page.close();
  });

  it('explains itself: inconclusive since when and why, bar titles and a legend, readable charts, a favicon', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.url}/status/acme/shop`);
    const card = (slug: string) => page.locator(`#test-${slug}`);
    // Only inconclusive runs: since the first of them, with the reason's kind (the reason stays private).
    expect(await card('newsletter').locator('.state').textContent()).toMatch(
      /^Inconclusive since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(AI service unavailable\)$/,
    );
    // Each run's bar has a title (a tooltip without script): time, status, short reason.
    const titles = await card('checkout').locator('svg.heartbeat rect title').allTextContents();
    expect(titles).toHaveLength(3);
    expect(titles[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC: passed$/);
    expect(titles[2]).toMatch(/ UTC: failed \(goal not reached\)$/);
    expect(await page.locator('ul.legend li').allTextContents()).toEqual([
      'passed',
      'failed',
      'inconclusive',
      'skipped',
      'no run yet',
    ]);
    // Three runs in the last hour are one measured hour: a point with its figures, axis labels around.
    const chart = card('checkout').locator('.chart-box').first();
    expect(await chart.locator('circle').count()).toBe(2);
    expect(await chart.locator('g title').textContent()).toMatch(/UTC: p95 ≤ 3 s, p50 ≤ .+, 3 runs$/);
    expect(await chart.locator('.y-top').textContent()).toBe('3 s');
    expect(await chart.locator('.x-axis').textContent()).toBe('24 h agonow (UTC)');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    await page.close();
  });

  it('offers its incidents as an Atom feed that a real XML parser reads', async () => {
    const res = await get('/status/acme/shop/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const page = await browser.newPage();
    await page.goto(`${h.url}/status/acme/shop`);
    expect(
      await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'),
    ).toBe('/status/acme/shop/feed.atom');
    // Chromium's XML parser: well-formed, and the elements RFC 4287 requires.
    const feed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      const text = (el: Element, name: string) => el.getElementsByTagNameNS(ns, name)[0]?.textContent ?? null;
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: `${root.namespaceURI} ${root.localName}`,
        id: text(root, 'id'),
        title: text(root, 'title'),
        updated: text(root, 'updated'),
        author: text(root, 'name'),
        entries: Array.from(root.getElementsByTagNameNS(ns, 'entry')).map((e) => ({
          id: text(e, 'id'),
          title: text(e, 'title'),
          updated: text(e, 'updated'),
          related: e.querySelector('link[rel="related"]')?.getAttribute('href') ?? null,
        })),
      };
    }, res.body);
    await page.close();
    expect(feed.error).toBe(0);
    expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
    expect(feed.id).toMatch(/^https?:\/\/.+\/status\/acme\/shop\/feed\.atom$/);
    expect(feed.title).toBe('Acme Shop status: incidents');
    expect(feed.author).toBe('HouseCat');
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    expect(feed.updated).toMatch(iso);
    const [issue] = h.gh.issuesOf('acme/shop');
    expect(feed.entries).toEqual([
      {
        id: expect.stringMatching(/\/status\/acme\/shop#incident-checkout-\d+$/),
        title: 'Failing: Checkout',
        updated: expect.stringMatching(iso),
        related: `${h.gh.url}/acme/shop/issues/${issue?.number}`,
      },
    ]);
    // The public rule holds in the feed too: no reason without show_goals.
    expect(res.body).not.toContain('REASON-MARKER');
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe-core violations in ${scheme} mode, on a desktop and a phone`, async () => {
      for (const viewport of [
        { name: 'desktop', width: 1280, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        // The page forbids scripts (CSP); axe is injected by the test, so the context bypasses it.
        const context = await browser.newContext({
          bypassCSP: true,
          colorScheme: scheme,
          viewport: { width: viewport.width, height: viewport.height },
        });
        const page = await context.newPage();
        await page.goto(`${h.url}/status/acme/shop`);
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          const axe = (
            globalThis as unknown as {
              axe: {
                run(): Promise<{
                  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
                }>;
              };
            }
          ).axe;
          const result = await axe.run();
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            targets: v.nodes.map((n) => n.target.join(' ')),
          }));
        });
        // No violation at all, whatever its impact (the tooltips and the legend included).
        expect(violations, `${scheme} ${viewport.name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${viewport.name}: the page is wider than the screen`).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: join(ARTIFACTS, `status-page-${scheme}-${viewport.name}.png`),
          fullPage: true,
        });
        await context.close();
      }
    });
  }

  it('answers 404 for a private repository exactly as for one that does not exist: page, API and badge', async () => {
    const privatePage = await get('/status/acme/blog');
    const missingPage = await get('/status/acme/nothing-here');
    expect([privatePage.status, missingPage.status]).toEqual([404, 404]);
    expect(privatePage.body).toBe(missingPage.body);
    expect(privatePage.body).not.toContain('Posts');

    for (const path of ['/api/v1/status/acme/blog', '/api/v1/status/acme/blog/posts']) {
      const missing = await get(path.replace('blog', 'nothing-here'));
      const hidden = await get(path);
      expect([hidden.status, missing.status], path).toEqual([404, 404]);
      expect(hidden.body).toBe(missing.body);
    }

    const hiddenBadge = await get('/badge/acme/blog/posts/status.svg');
    const missingBadge = await get('/badge/acme/nothing-here/posts/status.svg');
    expect(hiddenBadge.status).toBe(200);
    expect(hiddenBadge.body).toBe(missingBadge.body);
    expect(hiddenBadge.headers.get('etag')).toBe(missingBadge.headers.get('etag'));
    expect(hiddenBadge.body).toContain('unknown');
    const json = await get('/badge/acme/blog/posts/uptime-7d.json');
    expect(JSON.parse(json.body)).toEqual({
      schemaVersion: 1,
      label: 'uptime 7d',
      message: 'unknown',
      color: 'lightgrey',
    });
  });

  it('shows no goal, reason or URL in the public HTML and API unless show_goals is set', async () => {
    const forbidden = ['GOAL-MARKER', 'REASON-MARKER', 'shop.example.com', 'secret-', 'iVBORw0KGgo'];
    const bodies = [
      (await get('/status/acme/shop')).body,
      (await get('/api/v1/status/acme/shop')).body,
      (await get('/api/v1/status/acme/shop/checkout?range=30d')).body,
    ];
    for (const body of bodies) for (const text of forbidden) expect(body).not.toContain(text);

    await sync('acme/shop', SHOP('status_page:\n  public: true\n  show_goals: true'));
    const page = (await get('/status/acme/shop')).body;
    expect(page).toContain('GOAL-MARKER pay for one item with the test card');
    expect(page).toContain('REASON-MARKER the pay button did nothing');
    const detail = (await get('/api/v1/status/acme/shop/checkout')).body;
    expect(detail).toContain('REASON-MARKER');
    // Goals and reasons, yes; URLs, evidence and screenshots never.
    for (const body of [page, detail]) {
      for (const text of ['shop.example.com', 'secret-', 'iVBORw0KGgo']) expect(body).not.toContain(text);
    }
    await sync('acme/shop', SHOP('status_page:\n  public: true\n  title: Acme Shop status'));
  });
});

describe('badges and the read API', () => {
  it('serves status, uptime and response-time badges as SVG and shields.io JSON, cached with an ETag', async () => {
    const status = await get('/badge/acme/shop/checkout/status.json');
    expect(JSON.parse(status.body)).toEqual({
      schemaVersion: 1,
      label: 'status',
      message: 'incident',
      color: 'orange',
    });
    expect(JSON.parse((await get('/badge/acme/shop/home/status.json')).body).message).toBe('passing');
    expect(JSON.parse((await get('/badge/acme/shop/checkout/uptime-24h.json')).body)).toMatchObject({
      message: '33.33%',
    });
    expect(JSON.parse((await get('/badge/acme/shop/checkout/response-time-7d.json')).body)).toMatchObject({
      label: 'response time 7d',
      message: 'p95 ≤3000ms',
    });

    const svg = await get('/badge/acme/shop/home/uptime-30d.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60');
    expect(svg.body).toMatch(/^<svg[^>]*>/);
    expect(svg.body).toContain('100%');
    const etag = svg.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/badge/acme/shop/home/uptime-30d.svg', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect((await get('/badge/acme/shop/home/uptime-1y.svg')).status).toBe(404);
  });

  it('gives the repository’s tests, one test’s last runs and hourly buckets, and the OpenAPI description', async () => {
    const repo = JSON.parse((await get('/api/v1/status/acme/shop')).body);
    expect(repo.overall).toBe('outage');
    expect(
      repo.tests.map((t: { slug: string; state: string; windows: { '24h': { uptime: number } } }) => [
        t.slug,
        t.state,
        t.windows['24h'].uptime,
      ]),
    ).toEqual([
      ['checkout', 'failing', 1 / 3],
      ['home', 'passing', 1],
      // Only inconclusive runs: no uptime either way.
      ['newsletter', 'unknown', null],
      ['search', 'passing', 1],
    ]);
    const one = JSON.parse((await get('/api/v1/status/acme/shop/checkout?range=7d')).body);
    expect(one.range).toBe('7d');
    expect(one.runs.map((r: { status: string }) => r.status)).toEqual(['failed', 'failed', 'passed']);
    expect(
      one.hours.reduce((n: number, b: { passed: number; failed: number }) => n + b.passed + b.failed, 0),
    ).toBe(3);
    expect((await get('/api/v1/status/acme/shop/checkout?range=1y')).status).toBe(400);

    const openapi = JSON.parse((await get('/api/v1/openapi.json')).body);
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual([
      '/api/v1/status/{owner}/{repo}',
      '/api/v1/status/{owner}/{repo}/{slug}',
    ]);
  });
});
