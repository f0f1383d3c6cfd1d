/**
 * `npm run demo`: starts the demo app twice on free localhost ports — healthy, then broken — and
 * runs `housecat run` against each. Exits 0 when the demo behaved as designed: the healthy app
 * passes, the broken one fails with a clear reason, goal tests run when ANTHROPIC_API_KEY is set
 * and are reported as skipped otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoApp } from './app.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'bin', 'housecat.js');
const config = join(here, 'housecat.yml');
const password = 'housecat';
const out = (text = '') => process.stdout.write(`${text}\n`);
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

/** Runs `housecat run` against `baseUrl`; returns its exit code and JSON report. */
function housecatRun(baseUrl, jsonPath) {
  const env = { ...process.env, DEMO_PASSWORD: password, HOUSECAT_ALLOW_PRIVATE_NETWORK: '1' };
  // The demo never writes into a store you may have configured for real tests.
  for (const name of ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'REDIS_URL']) delete env[name];
  const args = [bin, 'run', '--config', config, '--repo', 'housecat/demo', '--base-url', baseUrl];
  args.push('--skip-without-key', '--json', jsonPath);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => {
      let report;
      try {
        report = JSON.parse(readFileSync(jsonPath, 'utf8'));
      } catch {
        report = undefined;
      }
      resolve({ code, report });
    });
  });
}

const problems = [];
const expect = (ok, message) => {
  if (!ok) problems.push(message);
};

// The reports stay after the demo, where its output says they are (.housecat/ is git-ignored here).
const work = join(root, '.housecat', 'demo');
mkdirSync(work, { recursive: true });
const healthy = await startDemoApp({ password });
const broken = await startDemoApp({ password, broken: true });
const hasKey = Boolean(process.env.ANTHROPIC_API_KEY?.trim());
try {
  out(bold(`1. The healthy demo app (${healthy.url}) — everything should pass`));
  out(
    hasKey
      ? '   ANTHROPIC_API_KEY is set: goal tests run with Claude.'
      : '   No ANTHROPIC_API_KEY: goal tests are reported as skipped; checks run.',
  );
  out();
  const good = await housecatRun(healthy.url, join(work, 'healthy.json'));
  expect(good.report !== undefined, 'the healthy run wrote no JSON report');
  expect(good.code === 0, `housecat run exited ${good.code} against the healthy app (expected 0)`);
  for (const r of good.report?.results ?? []) {
    const isGoal = r.id.endsWith('login-flow') || r.id.endsWith('open-orders');
    const wanted = isGoal && !hasKey ? 'skipped' : 'passed';
    expect(
      r.status === wanted,
      `"${r.name}" was ${r.status} against the healthy app (expected ${wanted}): ${r.reason}`,
    );
  }

  out();
  out(bold(`2. The broken demo app (${broken.url}, login page answers 500) — checks should fail`));
  out();
  const bad = await housecatRun(broken.url, join(work, 'broken.json'));
  expect(bad.code === 1, `housecat run exited ${bad.code} against the broken app (expected 1)`);
  const login = bad.report?.results.find((r) => r.id.endsWith('login-page'));
  expect(
    login?.status === 'failed',
    `"Login page" was ${login?.status ?? 'missing'} against the broken app (expected failed)`,
  );
  expect(
    /500/.test(login?.reason ?? ''),
    `the failure reason does not mention the HTTP 500: ${login?.reason}`,
  );

  out();
  if (problems.length === 0) {
    out(bold('Demo behaved as designed:'));
    out(`  healthy app → ${good.report.summary.passed} passed, ${good.report.summary.skipped} skipped`);
    out(`  broken app  → ${bad.report.summary.failed} failed — "${login.reason}"`);
    out(`  reports     → ${join(work, 'healthy.json')}, ${join(work, 'broken.json')}`);
    out(
      `Next: write your own tests in .github/housecat.yml and run them from your repository with \`node ${bin} run\` (or install the packed CLI: README, "Installing HouseCat"). See docs/run.md.`,
    );
  } else {
    out(bold('The demo did NOT behave as designed:'));
    for (const p of problems) out(`  - ${p}`);
    out();
    out('What to check:');
    out('  - results marked ERROR or a timeout: the machine may be busy — close heavy programs and run');
    out(
      '    `npm run demo` again (each test may take up to 120 s; see timeout in examples/demo/housecat.yml);',
    );
    out(
      '  - "Chromium ... did not start": install it (`apt-get install -y chromium`) or set HOUSECAT_CHROMIUM;',
    );
    out('  - anything else: run `npm ci` again, then report it with the output above.');
  }
} finally {
  await healthy.close();
  await broken.close();
}
process.exitCode = problems.length === 0 ? 0 : 1;
