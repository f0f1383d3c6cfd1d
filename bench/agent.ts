/**
 * Agent benchmarks:
 * 1. Snapshot size (tokens estimated as characters / 4) of each fixture page — what one look at a
 *    page costs the model. Goal: at most 2,000 tokens for the login and dashboard pages.
 * 2. Browser start-up: 10 tests on one reused Chromium (fresh context each) versus one launch per test.
 *
 * Run: npx tsx bench/agent.ts
 */
import type { Page } from 'playwright-core';
import { BrowserPool } from '../src/adapters/browser/browser-pool.js';
import { takeSnapshot } from '../src/adapters/browser/snapshot.js';
import { readEnv } from '../src/adapters/env.js';
import { createHostPolicy } from '../src/core/net/host-policy.js';
import { DEMO_PASSWORD, DEMO_USER, startFixtureApps } from '../tests/support/fixture-apps.js';

const env = readEnv();
const apps = await startFixtureApps();
const policy = createHostPolicy({ url: apps.url, allowedHosts: [], allowPrivateNetwork: true });

async function logIn(page: Page, variant: string): Promise<void> {
  await page.goto(`${apps.url}/${variant}/login`);
  await page.getByLabel('Username').fill(DEMO_USER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/dashboard/);
}

const pages: { name: string; open: (page: Page) => Promise<void>; goal?: number }[] = [
  { name: 'login', open: async (p) => void (await p.goto(`${apps.url}/ok/login`)), goal: 2_000 },
  { name: 'dashboard', open: (p) => logIn(p, 'ok'), goal: 2_000 },
  { name: 'login (500)', open: async (p) => void (await p.goto(`${apps.url}/500/login`)) },
  { name: 'login (missing button)', open: async (p) => void (await p.goto(`${apps.url}/missing/login`)) },
  { name: 'dashboard (wrong text)', open: (p) => logIn(p, 'wrongtext') },
  {
    name: 'js page (after scripts)',
    open: async (p) => {
      await p.goto(`${apps.url}/js`);
      await p.getByText('Ready: 42 items').waitFor();
    },
  },
  { name: 'slow page', open: async (p) => void (await p.goto(`${apps.url}/slow?ms=200`)) },
  { name: 'hostile: hidden text', open: async (p) => void (await p.goto(`${apps.url}/hostile/hidden`)) },
  { name: 'hostile: links', open: async (p) => void (await p.goto(`${apps.url}/hostile/link`)) },
];

const pool = new BrowserPool({ env });
console.log('Snapshot size per fixture page (tokens ≈ characters / 4)');
console.log('page                          chars  tokens  goal');
for (const entry of pages) {
  const context = await pool.newContext({ policy });
  const page = await context.newPage();
  await entry.open(page);
  const snapshot = await takeSnapshot(page);
  const goal = entry.goal
    ? snapshot.tokens <= entry.goal
      ? `≤ ${entry.goal} ok`
      : `≤ ${entry.goal} MISSED`
    : '';
  console.log(
    `${entry.name.padEnd(28)} ${String(snapshot.text.length).padStart(6)} ${String(snapshot.tokens).padStart(7)}  ${goal}`,
  );
  await context.close();
}
await pool.close();

async function oneTest(p: BrowserPool): Promise<void> {
  const context = await p.newContext({ policy });
  const page = await context.newPage();
  await page.goto(`${apps.url}/ok/login`);
  await takeSnapshot(page);
  await context.close();
}

const RUNS = 10;
const reused = new BrowserPool({ env });
let t0 = performance.now();
for (let i = 0; i < RUNS; i += 1) await oneTest(reused);
const reusedMs = performance.now() - t0;
const reusedLaunches = reused.launches;
await reused.close();

t0 = performance.now();
let launches = 0;
for (let i = 0; i < RUNS; i += 1) {
  const fresh = new BrowserPool({ env });
  await oneTest(fresh);
  launches += fresh.launches;
  await fresh.close();
}
const freshMs = performance.now() - t0;

console.log('');
console.log(`Browser start-up, ${RUNS} tests (open login page + snapshot each)`);
console.log(
  `reused browser, fresh context per test: ${reusedMs.toFixed(0)} ms total, ${(reusedMs / RUNS).toFixed(0)} ms/test (${reusedLaunches} launch)`,
);
console.log(
  `one launch per test:                    ${freshMs.toFixed(0)} ms total, ${(freshMs / RUNS).toFixed(0)} ms/test (${launches} launches)`,
);
console.log(`speed-up from reuse: ${(freshMs / reusedMs).toFixed(2)}×`);

await apps.close();
