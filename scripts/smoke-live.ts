/**
 * `npm run smoke:live`: HouseCat's whole loop against the real services, for maintainers before a
 * release. Never part of `npm test` (it needs accounts, costs a few cents of model tokens and takes
 * minutes). Each step prints ✓ or ✗ with what it saw; the smoke test is removed again at the end.
 *
 * 1. sync: `housecat sync` writes one test to Upstash Redis and its schedule to QStash;
 * 2. delivery: QStash publishes one signed call to the app's /api/callback/{id}; the app checks
 *    the signature, runs the test and records the run in the same Redis (waited for there);
 * 3. goal: `housecat run` runs the test's Claude goal here, against a public page;
 * 4. GitHub: an issue is opened on the scratch repository and closed again.
 *
 * Without credentials it prints the variables it needs (scripts/smoke-live-env.ts) and exits 2.
 * Exit status: 0 every step passed, 1 a step failed, 2 configuration missing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '@octokit/request';
import { Client } from '@upstash/qstash';
import { createStore } from '../src/adapters/store/index.js';
import { testId } from '../src/core/ids.js';
import { scheduleIdFor } from '../src/core/sync/plan.js';
import { missingMessage, missingVariables } from './smoke-live-env.js';

const missing = missingVariables(process.env);
if (missing.length > 0) {
  process.stderr.write(`${missingMessage(missing)}\n`);
  process.exit(2);
}

const env = process.env;
/** A variable missingVariables has checked. */
const need = (name: string): string => env[name]?.trim() ?? '';
const repo = need('HOUSECAT_SMOKE_REPO');
const [owner = '', name = ''] = repo.split('/');
const appUrl = need('HOUSECAT_PUBLIC_URL').replace(/\/+$/, '');
const page = env.HOUSECAT_SMOKE_PAGE || 'https://example.com/';
const waitMs = Number(env.HOUSECAT_SMOKE_WAIT_S || 300) * 1000;
const id = testId(repo, 'housecat-smoke');
const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'housecat-smoke-'));
mkdirSync(join(dir, '.github'));
const file = join(dir, '.github/housecat.yml');
// Once a year (1 January, 00:00 UTC): the schedule exists for the check, it never fires by itself.
writeFileSync(
  file,
  `version: 1
tests:
  - name: HouseCat smoke
    id: housecat-smoke
    url: ${JSON.stringify(page)}
    goal: Check that the page has loaded and shows a main heading; report the heading's text
    expect: { status: 200 }
    schedule: "0 0 1 1 *"
    timeout: 120
`,
);

const qstash = new Client({
  token: need('QSTASH_TOKEN'),
  baseUrl: env.QSTASH_URL || 'https://qstash.upstash.io',
  devMode: false,
  enableTelemetry: false,
});
const store = createStore({
  UPSTASH_REDIS_REST_URL: need('UPSTASH_REDIS_REST_URL'),
  UPSTASH_REDIS_REST_TOKEN: need('UPSTASH_REDIS_REST_TOKEN'),
  ...(env.HOUSECAT_REDIS_PREFIX ? { HOUSECAT_REDIS_PREFIX: env.HOUSECAT_REDIS_PREFIX } : {}),
});
const github = request.defaults({
  baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
  headers: { authorization: `Bearer ${need('GITHUB_TOKEN')}` },
});

/** Runs the CLI from the sources (no build needed), in the temporary repository. */
function housecat(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    // tsx by its own path: the child runs in the temporary repository, where `tsx` does not resolve.
    const tsx = import.meta.resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/cli/index.ts'), ...args], {
      cwd: dir,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function syncStep(): Promise<string> {
  const r = await housecat(['sync', '--config', file, '--repo', repo, '--callback-url', appUrl]);
  if (r.code !== 0) throw new Error(`housecat sync exited ${r.code}:\n${r.out}`);
  const stored = await store?.getTest(id);
  if (!stored) throw new Error(`sync said it succeeded but Redis has no test ${id}`);
  const schedule = await qstash.schedules.get(scheduleIdFor(id));
  return `Redis has ${id}; QStash schedule ${schedule.scheduleId} calls ${schedule.destination}`;
}

async function deliveryStep(): Promise<string> {
  const since = Date.now();
  const { messageId } = await qstash.publish({ url: `${appUrl}/api/callback/${id}`, body: '', retries: 0 });
  for (let waited = 0; waited < waitMs; waited += 2000) {
    const [run] = (await store?.getResults(id, { from: since })) ?? [];
    if (run)
      return `message ${messageId}: the app verified it and recorded a ${run.status} run (${run.reason})`;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(
    `message ${messageId}: no run of ${id} recorded after ${waitMs / 1000} s. Check the app's log and QStash's ` +
      'logs (console → QStash → Logs): a 401 means the app has other signing keys or another HOUSECAT_PUBLIC_URL.',
  );
}

async function goalStep(): Promise<string> {
  // Not recorded: this run checks the model and the browser here, step 2 checked the app's.
  const r = await housecat(['run', '--config', file, '--repo', repo], {
    UPSTASH_REDIS_REST_URL: undefined,
    UPSTASH_REDIS_REST_TOKEN: undefined,
    REDIS_URL: undefined,
  });
  if (r.code !== 0) throw new Error(`housecat run exited ${r.code}:\n${r.out}`);
  return `Claude reached the goal on ${page}`;
}

async function githubStep(): Promise<string> {
  const opened = await github('POST /repos/{owner}/{repo}/issues', {
    owner,
    repo: name,
    title: `HouseCat smoke test ${new Date().toISOString()}`,
    body: 'Opened and closed by `npm run smoke:live`. Nothing to do.',
  });
  const number = opened.data.number;
  await github('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner,
    repo: name,
    issue_number: number,
    state: 'closed',
    state_reason: 'completed',
  });
  const closed = await github('GET /repos/{owner}/{repo}/issues/{issue_number}', {
    owner,
    repo: name,
    issue_number: number,
  });
  if (closed.data.state !== 'closed') throw new Error(`issue #${number} is still ${closed.data.state}`);
  return `issue #${number} opened and closed on ${repo}`;
}

/** Removes the smoke test and its schedule; the watchdog's schedule belongs to the app and stays. */
async function cleanUp(): Promise<void> {
  await qstash.schedules.delete(scheduleIdFor(id)).catch(() => undefined);
  await store?.applySync(repo, { upsert: [], remove: [id] }).catch(() => undefined);
  await store?.close();
}

const steps: [string, () => Promise<string>][] = [
  ['sync to Upstash Redis and QStash', syncStep],
  ['signed QStash delivery to the app', deliveryStep],
  ['Claude goal test on a public page', goalStep],
  ['GitHub issue opened and closed', githubStep],
];
let failed = 0;
try {
  for (const [title, step] of steps) {
    try {
      process.stdout.write(`✓ ${title}: ${await step()}\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`✗ ${title}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
} finally {
  await cleanUp();
}
process.stdout.write(
  failed === 0 ? 'smoke:live passed.\n' : `smoke:live: ${failed} of ${steps.length} steps failed.\n`,
);
process.exit(failed === 0 ? 0 : 1);
