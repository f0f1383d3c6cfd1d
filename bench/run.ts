/**
 * Benchmark of `runTests`: 20 checks-only tests against a local app, at concurrency 1 and 4,
 * sharing one Chromium. Prints wall time and peak memory (PSS and RSS of this process plus every
 * Chromium child, sampled from /proc). Goal: peak under 1 GiB.
 *
 *   npx tsx bench/run.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createAgent } from '../src/adapters/agent/index.js';
import { BrowserPool } from '../src/adapters/browser/index.js';
import { readEnv } from '../src/adapters/env.js';
import { runTests } from '../src/app/run-tests.js';
import type { TestDefinition } from '../src/core/types.js';

const TESTS = 20;

/** `pid` and all its descendants (Linux /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Memory of the process tree in bytes: RSS summed (counts pages shared between Chromium's
 * processes once per process, so it overstates) and PSS summed (shared pages split between their
 * sharers: the tree's real footprint).
 */
function treeMemory(root: number): { rss: number; pss: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of processTree(root)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return { rss, pss };
}

const page = (i: number) =>
  `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Product ${i}</h1>` +
  `<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p><script>document.body.insertAdjacentHTML('beforeend','<p>Ready ${i}</p>')</script></body></html>`;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const i = Number(url.searchParams.get('i') ?? 0);
  // `delay` stands for a real site's server time: the runner waits on the network, not the CPU.
  const delay = Number(url.searchParams.get('delay') ?? 0);
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(i)), delay);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const address = server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const makeTests = (delayMs: number): TestDefinition[] =>
  Array.from({ length: TESTS }, (_, i) => ({
    id: `bench--run--t${i}`,
    slug: `t${i}`,
    repo: 'bench/run',
    name: `Page ${i}`,
    url: `${origin}/product?i=${i}&delay=${delayMs}`,
    timeout: 30,
    retries: 0,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'checks',
    maxSteps: 10,
    allowedHosts: [],
    secrets: [],
    expect: { status: 200, text: [`Product ${i}`, `Ready ${i}`], maxMs: 5000 },
  }));

const env = { ...readEnv(), HOUSECAT_ALLOW_PRIVATE_NETWORK: '1' };
const rows: string[] = [];
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const scenarios = [
  { label: 'local page', delayMs: 0 },
  { label: 'page answering after 500 ms', delayMs: 500 },
];
for (const { label, delayMs } of scenarios)
  for (const concurrency of [1, 4]) {
    const tests = makeTests(delayMs);
    const pool = new BrowserPool({ env });
    const agent = createAgent({ env, pool });
    const peak = { rss: 0, pss: 0 };
    const sample = () => {
      const now = treeMemory(process.pid);
      peak.rss = Math.max(peak.rss, now.rss);
      peak.pss = Math.max(peak.pss, now.pss);
    };
    sample();
    const sampler = setInterval(sample, 50);
    const started = performance.now();
    const outcome = await runTests({ agent }, { tests, concurrency, source: { kind: 'cli' } });
    const wall = performance.now() - started;
    clearInterval(sampler);
    sample();
    await pool.close();
    const c = outcome.counts;
    if (c.passed !== TESTS) {
      const bad = outcome.results.find((r) => r.status !== 'passed');
      throw new Error(
        `benchmark run is not all-passed (${JSON.stringify(c)}): ${bad?.testId}: ${bad?.reason}`,
      );
    }
    rows.push(
      `| ${TESTS} checks tests, ${label}, concurrency ${concurrency} | ${(wall / 1000).toFixed(2)} s | ${(wall / TESTS).toFixed(0)} ms | ${mib(peak.pss)} | ${mib(peak.rss)} |`,
    );
  }
server.close();

console.log('## housecat run (bench/run.ts)\n');
console.log(
  'One Chromium shared by all tests (launch included), local app on 127.0.0.1, each test: status + 2 texts + max_ms.',
);
console.log(
  'Peak memory of the Node process + all Chromium children, sampled every 50 ms: PSS (shared pages split ' +
    'between processes: the real footprint; goal < 1024 MiB) and RSS summed (shared pages counted once per process).\n',
);
console.log(`Machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end.\n`);
console.log('| run | wall time | wall time / 20 | peak PSS | peak RSS (summed) |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
