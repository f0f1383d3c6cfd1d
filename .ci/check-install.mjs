// The install story, checked the way a new user meets it (issue 26). Needs the npm registry, so it runs
// from .ci/run, not from `npm test`. Two installs, neither with dev tools:
//   1. a production install of a clean clone: `npm ci --omit=dev`, then `node bin/housecat.js serve --help`;
//   2. the packed tarball (`npm pack`, what the registry would serve) installed into an empty project,
//      then `npx housecat --version`, `validate`, and a checks-only `run` against a local page.
// Plain Node, no dependencies: usage `node .ci/check-install.mjs` from the repository root (after `npm ci`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'housecat-install-'));
const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline'];
const PAGE_TEXT = 'Installed from the tarball';
const started = Date.now();

const server = createServer((_req, res) => {
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end(`<!doctype html><title>Install</title><h1>${PAGE_TEXT}</h1>`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

try {
  // 1. A clean clone of HEAD, production install: `prepare` must build lib/ without devDependencies.
  const clone = join(scratch, 'clone');
  await sh('git', ['clone', '--quiet', '--no-local', root, clone], root);
  await sh('npm', ['ci', '--omit=dev', ...npmFlags], clone);
  refuse(existsSync(join(clone, 'node_modules/typescript')), 'npm ci --omit=dev installed typescript');
  const help = await sh(process.execPath, ['bin/housecat.js', 'serve', '--help'], clone);
  expect(help.includes('Usage: housecat serve'), 'serve --help from the production install', help);

  // 2. The tarball, into an empty project that has never seen a devDependency.
  await sh('npm', ['pack', '--pack-destination', scratch, ...npmFlags], root);
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (!tarball) fail('npm pack wrote no .tgz');
  const project = join(scratch, 'project');
  mkdirSync(join(project, '.github'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "try-housecat", "private": true }\n');
  await sh('npm', ['install', join(scratch, tarball), ...npmFlags], project);
  refuse(existsSync(join(project, 'node_modules/typescript')), 'the tarball pulled in typescript');
  writeFileSync(
    join(project, '.github/housecat.yml'),
    `version: 1\ntests:\n  - name: Home page\n    url: ${origin}/\n    expect: { status: 200, text: ["${PAGE_TEXT}"] }\n`,
  );
  const version = await sh('npx', ['housecat', '--version'], project);
  expect(/^housecat \d+\.\d+\.\d+/.test(version), 'npx housecat --version', version);
  const valid = await sh('npx', ['housecat', 'validate'], project);
  expect(valid.includes('1 test'), 'npx housecat validate', valid);
  const run = await sh('npx', ['housecat', 'run', '--repo', 'acme/try'], project, {
    HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  });
  expect(run.includes('passed'), 'npx housecat run (checks only)', run);
  console.log(
    `install check: clone --omit=dev, ${tarball} into an empty project: all worked in ${Math.round((Date.now() - started) / 1000)} s`,
  );
} finally {
  server.close();
  rmSync(scratch, { recursive: true, force: true });
}

/** Runs a command to completion and gives its output; any exit but 0 stops the check with that output. */
async function sh(command, args, cwd, env = {}) {
  console.log(`$ (${cwd === root ? '.' : cwd}) ${command} ${args.join(' ')}`);
  // Not spawnSync: the page under test is served from this process, which must stay free to answer.
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code, signal] = await new Promise((resolve) => {
    child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
    child.on('close', (...result) => resolve(result));
  });
  if (code !== 0) fail(`${command} ${args.join(' ')} exited ${code ?? signal}`, output);
  return output;
}

function expect(ok, what, output) {
  if (!ok) fail(`${what}: unexpected output`, output);
  console.log(`ok: ${what}`);
}

function refuse(bad, what) {
  if (bad) fail(what);
}

function fail(message, output = '') {
  console.error(`install check failed: ${message}\n${output}`);
  server.close();
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}
