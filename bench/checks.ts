/**
 * Checks benchmark: wall time of one `checks` test (HouseCat's checks backend: guarded context with
 * the host policy on every request and the guard proxy, status + 2 texts + max_ms, evidence) versus
 * a plain playwright-core script doing the same checks in a plain context. Same browser reuse
 * policy on both sides: one Chromium for the whole benchmark, a fresh context per run. Runs are
 * interleaved so drift hits both alike. Goal: median ratio ≤ 1.3×.
 *
 * Run: npx tsx bench/checks.ts [runs]   (default 50)
 */
import { runChecks } from '../src/adapters/agent/checks/index.js';
import { BrowserPool } from '../src/adapters/browser/index.js';
import { readEnv } from '../src/adapters/env.js';
import type { TestDefinition } from '../src/core/types.js';
import { startFixtureApps } from '../tests/support/fixture-apps.js';

const runs = Number(process.argv[2] ?? 50);
const env = readEnv();
const apps = await startFixtureApps();
const url = `${apps.url}/ok/login`;
const texts = ['Sign in', 'demo account'];
const test: TestDefinition = {
  id: 'bench--bench--checks',
  slug: 'checks',
  repo: 'bench/bench',
  name: 'Checks',
  url,
  timeout: 30,
  retries: 0,
  failureThreshold: 1,
  recoveryThreshold: 1,
  agent: 'checks',
  maxSteps: 1,
  allowedHosts: [],
  secrets: [],
  expect: { status: 200, text: texts, maxMs: 5000 },
};

const pool = new BrowserPool({ env });
const browser = await pool.browser();

async function houseCat(): Promise<number> {
  const start = performance.now();
  const result = await runChecks({ test, runId: 'bench' }, { pool, allowPrivateNetwork: true });
  const ms = performance.now() - start;
  if (result.status !== 'passed') throw new Error(`checks did not pass: ${result.reason}`);
  return ms;
}

async function plain(): Promise<number> {
  const start = performance.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error('status');
    await page.waitForFunction(
      // biome-ignore lint/performance/useDomNodeTextContent: same rendered-text check as HouseCat
      (needles: string[]) => needles.every((n) => document.body.innerText.includes(n)),
      texts,
      { timeout: 5000 },
    );
    // biome-ignore lint/performance/useDomNodeTextContent: same rendered-text check as HouseCat
    const text = await page.evaluate(() => document.body.innerText);
    if (!texts.every((t) => text.includes(t))) throw new Error('text');
  } finally {
    await context.close();
  }
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
}

// Warm-up (first navigation, JIT) is not counted.
for (let i = 0; i < 3; i++) {
  await houseCat();
  await plain();
}
const ours: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < runs; i++) {
  if (i % 2 === 0) {
    ours.push(await houseCat());
    theirs.push(await plain());
  } else {
    theirs.push(await plain());
    ours.push(await houseCat());
  }
}
await pool.close();
await apps.close();

const ratio = median(ours) / median(theirs);
console.log(
  `checks test vs plain playwright-core, ${runs} runs each, one reused Chromium, fresh context per run`,
);
console.log(`  housecat checks   median ${median(ours).toFixed(1)} ms   p90 ${p90(ours).toFixed(1)} ms`);
console.log(`  plain playwright  median ${median(theirs).toFixed(1)} ms   p90 ${p90(theirs).toFixed(1)} ms`);
console.log(`  ratio (median)    ${ratio.toFixed(2)}×   goal ≤ 1.30× ${ratio <= 1.3 ? 'met' : 'NOT met'}`);
