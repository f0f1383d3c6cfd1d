// The container image, checked without Docker (none runs where HouseCat is developed). It reads the
// Dockerfile itself, so the checks follow it as it changes:
//   1. rules hadolint would apply that matter here (neither hadolint nor a Docker daemon is installable
//      from npm or Debian on these machines): a pinned base image, apt lists removed, no recommends,
//      a non-root USER, tini as the entry point, a HEALTHCHECK, every COPY source present and not
//      excluded by .dockerignore;
//   2. the build stage's RUN steps, run as written in a folder holding only the files it COPYs;
//   3. the final stage assembled from its COPY lines, its CMD started with its ENV (tini left out
//      when it is not installed here), its HEALTHCHECK command run against it, then SIGTERM: exit 0.
// Not covered: apt-get in the image, the Debian chromium inside it, the USER switch, Docker's own
// parsing. Usage: node .ci/check-image.mjs (after `npm ci`; needs the npm registry and redis-server).
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const text = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
const args = Object.fromEntries(
  lines.filter((l) => /^ARG /.test(l)).map((l) => l.slice(4).trim().split('=')),
);
const stages = [];
for (const line of lines) {
  const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line.trim()) ?? [];
  if (op === 'FROM') stages.push({ from: rest.replace(/\$\{(\w+)\}/g, (_, n) => args[n]), steps: [] });
  else if (stages.length > 0) stages.at(-1).steps.push({ op, rest });
}
const [build, final] = [stages[0], stages.at(-1)];
const problems = [];
let scratch;
let app;
let redis;
const check = (ok, message) => ok || problems.push(message);

// 1. Static rules.
for (const s of stages)
  check(/:[\w.-]+/.test(s.from) && !/:latest\b/.test(s.from), `FROM ${s.from}: pin a tag`);
for (const { rest } of final.steps.filter((s) => s.op === 'RUN' && /apt-get install/.test(s.rest))) {
  check(/--no-install-recommends/.test(rest), 'apt-get install without --no-install-recommends');
  check(/rm -rf \/var\/lib\/apt\/lists/.test(rest), 'apt-get install without removing /var/lib/apt/lists');
  check(/apt-get update/.test(rest), 'apt-get install without apt-get update in the same RUN');
}
const last = (op) => final.steps.filter((s) => s.op === op).at(-1)?.rest;
check(last('USER') && !/^(root|0)$/.test(last('USER')), 'the final stage runs as root: add USER');
check(/tini/.test(last('ENTRYPOINT') ?? ''), 'ENTRYPOINT is not tini: signals would not reach node');
check(/^.*CMD \[/.test(last('HEALTHCHECK') ?? ''), 'no HEALTHCHECK in exec form');
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
const contextSources = (stage) =>
  stage.steps
    .filter((s) => s.op === 'COPY' && !s.rest.startsWith('--from'))
    .flatMap((s) => s.rest.split(/\s+/).slice(0, -1));
for (const source of [...contextSources(build), ...contextSources(final)]) {
  check(existsSync(join(root, source)), `COPY ${source}: no such file in the repository`);
  check(!ignored.includes(source), `COPY ${source}: .dockerignore excludes it`);
}
if (problems.length > 0) fail(problems.join('\n'));
console.log(`ok: Dockerfile rules (${stages.length} stages, final FROM ${final.from})`);

// 2. The build stage, as written.
scratch = mkdtempSync(join(tmpdir(), 'housecat-image-'));
const buildDir = join(scratch, 'build');
const appDir = join(scratch, 'app');
mkdirSync(buildDir);
mkdirSync(appDir);
try {
  for (const source of contextSources(build))
    cpSync(join(root, source), join(buildDir, source), { recursive: true });
  for (const { rest } of build.steps.filter((s) => s.op === 'RUN')) {
    console.log(`$ (build) ${rest}`);
    const run = spawnSync('sh', ['-c', rest], { cwd: buildDir, encoding: 'utf8' });
    if (run.status !== 0) fail(`build stage: \`${rest}\` exited ${run.status}\n${run.stdout}${run.stderr}`);
  }
  check(
    !existsSync(join(buildDir, 'node_modules/typescript')),
    'the build stage leaves devDependencies for the image',
  );

  // 3. The final stage: its files, its environment, its command.
  for (const { rest } of final.steps.filter((s) => s.op === 'COPY')) {
    const parts = rest.split(/\s+/);
    const fromBuild = parts[0].startsWith('--from=');
    const [sources, dest] = [parts.slice(fromBuild ? 1 : 0, -1), parts.at(-1)];
    for (const source of sources) {
      const from = fromBuild ? join(buildDir, source.replace(/^\/app\//, '')) : join(root, source);
      const to = dest.endsWith('/') && sources.length > 1 ? join(appDir, dest, source) : join(appDir, dest);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
  }
  const env = {};
  for (const { rest } of final.steps.filter((s) => s.op === 'ENV')) {
    for (const [, name, value] of rest.matchAll(/(\w+)=(\S+)/g)) env[name] = value;
  }
  const port = await freePort();
  const redisPort = await freePort();
  redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no']);
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  Object.assign(env, {
    PATH: process.env.PATH,
    HOME: scratch,
    // As `docker run -e PORT=… -e REDIS_URL=…` would: the host picks them.
    PORT: String(port),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: 'image-check',
    HOUSECAT_PUBLIC_URL: 'https://housecat.example.test',
    QSTASH_CURRENT_SIGNING_KEY: 'current',
    QSTASH_NEXT_SIGNING_KEY: 'next',
  });
  // The image's browser path, where this machine has it too; otherwise the app finds one itself.
  if (!existsSync(env.HOUSECAT_CHROMIUM ?? '')) delete env.HOUSECAT_CHROMIUM;
  const cmd = JSON.parse(last('CMD'));
  const entry = JSON.parse(last('ENTRYPOINT'));
  const command = existsSync(entry[0]) ? [...entry, ...cmd] : cmd;
  if (command === cmd) console.log(`note: ${entry[0]} is not installed here; starting the CMD without it`);
  console.log(`$ (app) ${command.join(' ')}`);
  app = spawn(command[0], command.slice(1), { cwd: appDir, env });
  let output = '';
  const listening = new Promise((resolve, reject) => {
    const seen = (chunk) => {
      output += chunk;
      if (output.includes('listening on')) resolve();
    };
    app.stdout.on('data', seen);
    app.stderr.on('data', seen);
    app.once('exit', (code) => reject(new Error(`the app exited ${code} before listening:\n${output}`)));
  });
  await listening.catch((error) => fail(error.message));
  console.log('ok: the image command starts the app');
  const health = JSON.parse(/CMD (\[.*\])\s*$/.exec(last('HEALTHCHECK'))[1]);
  const probe = spawnSync(health[0], health.slice(1), { cwd: appDir, env, encoding: 'utf8' });
  if (probe.status !== 0)
    fail(`HEALTHCHECK exited ${probe.status}: ${probe.stdout}${probe.stderr}\n${output}`);
  console.log('ok: the HEALTHCHECK command passes against it');
  const exited = new Promise((resolve) => app.once('exit', (code, signal) => resolve(code ?? signal)));
  app.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) fail(`after SIGTERM the app exited ${code}, not 0:\n${output}`);
  console.log('ok: SIGTERM stops it with exit 0');
  if (problems.length > 0) fail(problems.join('\n'));
  console.log(
    'image check: passed (without Docker: see the top of .ci/check-image.mjs for what is not covered)',
  );
} finally {
  cleanUp();
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function cleanUp() {
  app?.kill('SIGKILL');
  redis?.kill('SIGKILL');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

function fail(message) {
  console.error(`image check failed: ${message}`);
  cleanUp();
  process.exit(1);
}
