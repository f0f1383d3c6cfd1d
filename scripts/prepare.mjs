// `npm ci` and `npm pack` run this (the `prepare` script): it compiles src/ to lib/, which bin/housecat.js runs.
// A development install has TypeScript in node_modules: a full, type-checked build. A production install
// (`npm ci --omit=dev`, as a Dockerfile or a server does) has no devDependencies, and a `prepare` that calls
// `tsc` then failed with exit 127. There the compiler version pinned in package-lock.json is fetched through
// `npm exec` (from the same registry `npm ci` just used, into npm's cache, not into node_modules) and
// transpiles without type checks: the types were checked where the commit was made, and the type
// packages are devDependencies too. Installs from the registry tarball never run this: it ships lib/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const localTsc = join(root, 'node_modules/typescript/bin/tsc');
const stamp = join(root, 'lib/.build-stamp');

if (existsSync(localTsc)) {
  const startedAt = new Date();
  const status = run(process.execPath, [localTsc, '-p', 'tsconfig.build.json']);
  // The stamp tells the tests that run the built CLI (tests/support/built-cli.ts) that lib/ matches
  // src/, so `npm ci` then `npm test` compiles once. Dated at the start: a source saved meanwhile is newer.
  if (status === 0) {
    writeFileSync(stamp, `${startedAt.toISOString()}\n`);
    utimesSync(stamp, startedAt, startedAt);
  }
  process.exit(status);
}

const version = pinnedTypeScript();
console.log(
  `housecat prepare: no devDependencies (a production install); compiling lib/ with typescript@${version} from the registry, without type checks`,
);
// `types: []`: @types/node is a devDependency too, and transpiling needs no type declarations.
const scratch = mkdtempSync(join(tmpdir(), 'housecat-prepare-'));
const config = join(scratch, 'tsconfig.json');
writeFileSync(
  config,
  JSON.stringify({ extends: join(root, 'tsconfig.build.json'), compilerOptions: { types: [] } }),
);
const npm = process.env.npm_execpath;
const exec = ['exec', '--yes', `--package=typescript@${version}`, '--', 'tsc', '-p', config, '--noCheck'];
const status = npm ? run(process.execPath, [npm, ...exec]) : run('npm', exec);
rmSync(scratch, { recursive: true, force: true });
if (status !== 0) {
  console.error(
    `housecat prepare: could not compile lib/ (exit ${status}) with typescript@${version} from the registry.\n` +
      'Fix: install with dev dependencies and build, then drop them: `npm ci && npm prune --omit=dev`, ' +
      'or install the packed tarball (`npm pack`), which ships lib/.',
  );
}
process.exit(status);

/** The exact TypeScript version package-lock.json pins, so production builds match development ones. */
function pinnedTypeScript() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.['node_modules/typescript']?.version;
  if (!version) {
    console.error('housecat prepare: package-lock.json pins no typescript version (node_modules/typescript)');
    process.exit(2);
  }
  return version;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) console.error(`housecat prepare: could not start ${command}: ${result.error.message}`);
  return result.status ?? 1;
}
