// Bundles the Action into dist/: ncc for our code and its dependencies, plus an unbundled copy of
// playwright-core, which ncc cannot bundle (it reads its own package.json through __dirname at run
// time, which an ESM bundle does not have). The copy is plain files with no dependencies of its own.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// An absolute path (the tests build into a temporary folder) or one relative to the repository root.
const out = process.argv[2]
  ? process.argv[2].startsWith('/')
    ? process.argv[2]
    : join(root, process.argv[2])
  : join(root, 'dist');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    ncc,
    'build',
    join(root, 'lib/action/index.js'),
    '-o',
    out,
    '-e',
    'playwright-core',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
cpSync(join(root, 'node_modules/playwright-core'), join(out, 'node_modules/playwright-core'), {
  recursive: true,
});
console.log(`bundled the Action into ${out}`);
