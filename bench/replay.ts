/**
 * Replay benchmarks (issue 14):
 * 1. Model usage per day of 10 stable goal tests every 15 minutes (960 runs a day), with and without
 *    replay. Measured: the first round calls the model (recording), the next rounds replay; the day
 *    is extrapolated from the measured calls and tokens per run. Goal: 0 calls after the first run.
 * 2. Wall time of the login goal test replayed, against the same page as a `checks` test and the
 *    full agent run, one run at a time on a warm browser (the scheduled app's case). Goal: a replay
 *    within 1.5× of the checks test.
 * 3. The same comparison for the whole `housecat run` command a user types, start-up included.
 *
 * The model is the Anthropic stand-in (tests/support/anthropic-server.ts) driven by the real SDK: it
 * answers at once and counts tokens as characters / 4 of the real requests, so agent wall times
 * here leave out the model's own latency (1–3 s per call with the real API) and token figures are
 * an estimate of the real count.
 *
 * Run: npm run bench replay
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, TestDefinition } from '../src/core/types.js';
import { loginPolicy, startAnthropicServer } from '../tests/support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER, startFixtureApps } from '../tests/support/fixture-apps.js';
import { makeLoginGoalTest } from '../tests/support/test-definitions.js';

// The compiled lib/, as `housecat` ships: tsx's transform adds helpers to functions that
// page.evaluate() sends to the browser, where they do not exist.
const root = join(import.meta.dirname, '..');
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
const lib = (path: string) => import(join(root, 'lib', path));
const { createAgent } = (await lib(
  'adapters/agent/index.js',
)) as typeof import('../src/adapters/agent/index.js');
const { BrowserPool } = (await lib(
  'adapters/browser/browser-pool.js',
)) as typeof import('../src/adapters/browser/browser-pool.js');
const { readEnv } = (await lib('adapters/env.js')) as typeof import('../src/adapters/env.js');
const { createFileReplayStore } = (await lib(
  'adapters/store/index.js',
)) as typeof import('../src/adapters/store/index.js');
const { estimateCostUsd } = (await lib(
  'core/usage/prices.js',
)) as typeof import('../src/core/usage/prices.js');

const TESTS = 10;
const RUNS_PER_DAY = (24 * 60) / 15;
const ROUNDS = 3;
const TIMED = 7;
const PAIRS = 15;

const apps = await startFixtureApps();
const llm = await startAnthropicServer({
  responder: loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' }),
});
const env = {
  ...readEnv(),
  ANTHROPIC_API_KEY: llm.apiKey,
  ANTHROPIC_BASE_URL: llm.url,
  HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
};
const dir = mkdtempSync(join(tmpdir(), 'housecat-bench-replay-'));
const pool = new BrowserPool({ env });
const withReplay = createAgent({ env, pool, replay: createFileReplayStore(dir) });
const withoutReplay = createAgent({ env, pool });

function goalTest(n: number, over: Partial<TestDefinition> = {}): TestDefinition {
  return makeLoginGoalTest({
    id: `bench--replay--login-${n}`,
    slug: `login-${n}`,
    repo: 'bench/replay',
    name: `Login ${n}`,
    url: `${apps.url}/ok/login`,
    ...over,
  });
}

const run = (agent: typeof withReplay, test: TestDefinition) =>
  agent.run({ test, runId: `r-${Math.random()}`, secrets: { DEMO_PASSWORD } });

function check(result: RunResult, mode: RunResult['mode']): void {
  if (result.status !== 'passed' || result.mode !== mode) {
    throw new Error(`expected a ${mode} pass, got ${result.status}/${result.mode}: ${result.reason}`);
  }
}

// 1. Usage: round 1 records, rounds 2..ROUNDS replay.
const usage = { recordCalls: 0, recordTokens: 0, replayCalls: 0, replayRuns: 0 };
for (let n = 0; n < TESTS; n += 1) {
  const r = await run(withReplay, goalTest(n));
  check(r, 'agent');
  usage.recordCalls += r.usage.llmCalls;
  usage.recordTokens += r.usage.inputTokens + r.usage.outputTokens;
}
const before = llm.calls.length;
for (let round = 2; round <= ROUNDS; round += 1) {
  for (let n = 0; n < TESTS; n += 1) {
    const r = await run(withReplay, goalTest(n));
    check(r, 'replay');
    usage.replayCalls += r.usage.llmCalls;
    usage.replayRuns += 1;
  }
}
const standInRequests = llm.calls.length - before;
const perRunCalls = usage.recordCalls / TESTS;
const perRunTokens = usage.recordTokens / TESTS;
const usd = (tokens: number) =>
  // The stand-in's split of input and output is kept per run; the day scales it.
  estimateCostUsd('claude-sonnet-5-5', { inputTokens: tokens * 0.97, outputTokens: tokens * 0.03 }) ?? 0;
const dayWithout = { calls: perRunCalls * TESTS * RUNS_PER_DAY, tokens: perRunTokens * TESTS * RUNS_PER_DAY };
const dayWith = { calls: usage.recordCalls, tokens: usage.recordTokens };
console.log(`Model usage, ${TESTS} stable goal tests every 15 min (${TESTS * RUNS_PER_DAY} runs/day)`);
console.log(
  `measured: agent run ${perRunCalls.toFixed(1)} calls, ${Math.round(perRunTokens)} tokens; ${usage.replayRuns} replays made ${usage.replayCalls} calls (${standInRequests} requests reached the stand-in)`,
);
console.log(
  `without replay: ${Math.round(dayWithout.calls)} calls/day, ${Math.round(dayWithout.tokens).toLocaleString('en')} tokens/day (≈ $${usd(dayWithout.tokens).toFixed(2)}/day)`,
);
console.log(
  `with replay:    ${dayWith.calls} calls on the first day's first round, then 0; ${dayWith.tokens.toLocaleString('en')} tokens once (≈ $${usd(dayWith.tokens).toFixed(2)} once)`,
);

// 2. Wall time: replay vs checks vs agent, median of TIMED runs each (after one warm-up).
const checksTest = goalTest(99, {
  id: 'bench--replay--checks',
  agent: 'checks',
  goal: undefined,
  secrets: [],
  expect: { status: 200, text: ['Sign in'] },
});
async function timed(label: string, once: () => Promise<RunResult>, mode?: RunResult['mode']) {
  const t0 = performance.now();
  const r = await once();
  const ms = performance.now() - t0;
  if (r.status !== 'passed' || (mode && r.mode !== mode))
    throw new Error(`${label}: ${r.status} ${r.reason}`);
  return ms;
}
const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const spread = (xs: number[]) =>
  `median ${mid(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
const checksOnce = () => timed('checks', () => run(withReplay, checksTest));
const replayOnce = () => timed('replay', () => run(withReplay, goalTest(0)), 'replay');
// Warm-up, then checks and replay in turn (A B A B …), so that drift of the machine's speed hits
// both; the ratio is taken pair by pair.
await checksOnce();
await replayOnce();
const warmPairs: { checks: number; replay: number }[] = [];
for (let i = 0; i < PAIRS; i += 1) warmPairs.push({ checks: await checksOnce(), replay: await replayOnce() });
const agentTimes: number[] = [];
await timed('agent', () => run(withoutReplay, goalTest(0)), 'agent');
for (let i = 0; i < TIMED; i += 1)
  agentTimes.push(await timed('agent', () => run(withoutReplay, goalTest(0)), 'agent'));
console.log('');
console.log(`Wall time of one run on a warm browser, ${PAIRS} pairs in turn after a warm-up`);
console.log(`checks (login page: status + text) ${spread(warmPairs.map((p) => p.checks))}`);
console.log(`goal, replayed (login → dashboard) ${spread(warmPairs.map((p) => p.replay))}`);
console.log(`goal, full agent (stand-in model)  ${spread(agentTimes)} (${TIMED} runs)`);
const ratio = mid(warmPairs.map((p) => p.replay / p.checks));
console.log(
  `replay / checks, median of the pairs: ${ratio.toFixed(2)}× (goal ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'MISSED'}); agent / replay: ${(mid(agentTimes) / mid(warmPairs.map((p) => p.replay))).toFixed(2)}×`,
);

// 3. The whole command a user types: `housecat run` of the replayed goal test against the same
//    command for the checks test, Node and Chromium start-up included. Run in turn (A B A B …) so
//    that drift of the machine's speed hits both; the ratio is taken pair by pair.
const project = join(dir, 'project');
mkdirSync(join(project, '.github'), { recursive: true });
const definitions = join(project, '.github', 'housecat.yml');
writeFileSync(
  definitions,
  `version: 1
defaults:
  timeout: 60
tests:
  - id: checks
    name: Login page
    url: ${apps.url}/ok/login
    expect:
      status: 200
      text: ["Sign in"]
  - id: login
    name: Log in
    url: ${apps.url}/ok/login
    goal: Sign in as demo with the DEMO_PASSWORD secret and check the dashboard says "Welcome, Demo".
    secrets: [DEMO_PASSWORD]
`,
);
const cliEnv = { ...process.env, ...env, DEMO_PASSWORD, NO_COLOR: '1' } as NodeJS.ProcessEnv;
// Started asynchronously: the fixture app and the model stand-in answer from this process.
const housecatRun = (only: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'housecat.js'), 'run', '-c', definitions, '--repo', 'bench/replay', '--only', only],
      { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`housecat run --only ${only} exited ${code}: ${output}`));
    });
  });
await housecatRun('login'); // records the script (the agent, 4 stand-in calls)
const callsBefore = llm.calls.length;
await housecatRun('checks');
const pairs: { checks: number; replay: number }[] = [];
for (let i = 0; i < TIMED; i += 1)
  pairs.push({ replay: await housecatRun('login'), checks: await housecatRun('checks') });
console.log('');
console.log(`Whole \`housecat run\` command (Node and Chromium start-up included), ${TIMED} pairs in turn`);
console.log(`checks test    median ${mid(pairs.map((p) => p.checks)).toFixed(0)} ms`);
console.log(
  `replayed goal  median ${mid(pairs.map((p) => p.replay)).toFixed(0)} ms (${llm.calls.length - callsBefore} model requests)`,
);
const pairRatio = mid(pairs.map((p) => p.replay / p.checks));
console.log(`replay / checks, median of the pairs: ${pairRatio.toFixed(2)}×`);

await pool.close();
await llm.close();
await apps.close();
rmSync(dir, { recursive: true, force: true });
