// Smoke test of the Action as a runner gets it: `node dist/index.js` from a clean clone (no npm ci
// there), in sync dry-run mode and in run mode, the way action.yml's step starts it (INPUT_*,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). One local HTTP server is both the page under test and an
// empty Upstash Redis REST endpoint (enough for a dry run to plan against). Plain Node, no
// dependencies: usage `node .ci/smoke-action.mjs <clone>`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const clone = process.argv[2];
if (!clone) {
  console.error('usage: node .ci/smoke-action.mjs <folder holding a clone of the repository>');
  process.exit(2);
}
const PAGE_TEXT = "Hello from HouseCat's smoke page";

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    if (req.method === 'POST' && req.url?.startsWith('/upstash')) {
      // An empty database: no set has members, no hash has fields, nothing else is asked in a dry run.
      const answer = (command) => ({ result: String(command[0]).toUpperCase() === 'SMEMBERS' ? [] : null });
      const parsed = JSON.parse(body || '[]');
      const reply = req.url === '/upstash' ? answer(parsed) : parsed.map(answer);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(`<!doctype html><title>Smoke</title><h1>${PAGE_TEXT}</h1>`);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const workspace = mkdtempSync(join(tmpdir(), 'housecat-smoke-'));
mkdirSync(join(workspace, '.github'));
writeFileSync(
  join(workspace, '.github/housecat.yml'),
  `version: 1
tests:
  - name: Smoke page
    id: smoke-page
    url: ${origin}/
    expect: { status: 200, text: ["${PAGE_TEXT}"] }
`,
);
writeFileSync(join(workspace, 'event.json'), '{}');

/** Parses GITHUB_OUTPUT (`name<<DELIMITER … DELIMITER` or `name=value`). */
function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

let failures = 0;
async function action(label, inputs, expected) {
  const output = join(workspace, `${label}.output`);
  writeFileSync(output, '');
  // Asynchronous: a synchronous spawn would block this process, and with it the server.
  const child = spawn(process.execPath, [join(clone, 'dist/index.js')], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/smoke',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: join(workspace, 'event.json'),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0000000000000000000000000000000000000000',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(workspace, `${label}.summary.md`),
      RUNNER_TEMP: workspace,
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const outputs = parseOutputs(readFileSync(output, 'utf8'));
  const problems = [];
  if (code !== 0) problems.push(`exit code ${code}, expected 0`);
  for (const [name, check] of Object.entries(expected)) {
    const value = outputs[name];
    const ok = typeof check === 'function' ? value !== undefined && check(value) : value === check;
    if (!ok) problems.push(`output "${name}" is ${JSON.stringify(value)}, expected ${check}`);
  }
  if (problems.length === 0) {
    console.log(`ok: ${label}`);
    return;
  }
  failures += 1;
  console.error(`FAILED: ${label}: ${problems.join('; ')}\n--- its log ---\n${log}--- end of log ---`);
}

await action(
  'sync dry run',
  {
    mode: 'sync',
    dry_run: 'true',
    upstash_redis_url: `${origin}/upstash`,
    upstash_redis_token: 'smoke-token',
  },
  {
    created: '1',
    applied: 'false',
    plan: (v) => JSON.parse(v).items?.[0]?.testId === 'acme--smoke--smoke-page',
  },
);
await action(
  'run (checks test)',
  { mode: 'run', comment: 'off', concurrency: '1' },
  {
    passed: '1',
    failed: '0',
    results: (v) => JSON.parse(v).results?.[0]?.status === 'passed',
  },
);
server.close();
process.exit(failures === 0 ? 0 : 1);
