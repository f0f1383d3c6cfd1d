/**
 * The Action bundle as shipped: the files of dist/ that git tracks (what a composite action
 * downloads on every run), in total and per part — our chunks, playwright-core by folder — plus a
 * gzip'd tarball as a stand-in for the download, and what each npm package puts into the chunks
 * (from ncc's module stats, before minification).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackedDistFiles } from '../tests/support/action-bundle.js';

const root = join(import.meta.dirname, '..');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

const files = trackedDistFiles().map((file) => ({
  file,
  bytes: statSync(join(root, 'dist', file)).size,
}));
const total = files.reduce((sum, f) => sum + f.bytes, 0);
const PW = 'node_modules/playwright-core/';
/** Our chunks together; playwright-core's big files by name, its small ones by folder. */
const part = (file: string, bytes: number) => {
  if (!file.startsWith(PW)) return file.endsWith('.js') ? 'our chunks (*.js)' : file;
  const rest = file.slice(PW.length);
  if (bytes >= 100_000) return `playwright-core/${rest}`;
  return `playwright-core/${rest.includes('/') ? rest.slice(0, rest.lastIndexOf('/') + 1) : ''}(small files)`;
};
const parts = new Map<string, number>();
for (const { file, bytes } of files) {
  const name = part(file, bytes);
  parts.set(name, (parts.get(name) ?? 0) + bytes);
}

const tarball = execFileSync(
  'bash',
  ['-c', 'git ls-files -z dist | tar --null -T - -cf - | gzip -9 | wc -c'],
  { cwd: root, encoding: 'utf8' },
);

console.log(`dist/ as committed: ${files.length} files, ${mb(total)}; gzip'd tarball ${mb(Number(tarball))}`);
console.log('\n| part | size |\n|---|---|');
for (const [name, bytes] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`| ${name} | ${mb(bytes)} |`);
console.log('\n| chunk | size |\n|---|---|');
for (const { file, bytes } of files.filter((f) => !f.file.includes('/')).sort((a, b) => b.bytes - a.bytes))
  console.log(`| ${file} | ${mb(bytes)} |`);

// Which packages fill the chunks: ncc's webpack stats, module sizes before minification.
const out = mkdtempSync(join(tmpdir(), 'housecat-bundle-stats-'));
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    join(root, 'lib/action/index.js'),
    '-o',
    out,
    '-e',
    'playwright-core',
    '--stats-out',
    join(out, 'stats.json'),
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);
const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as {
  modules: { name: string; size: number }[];
};
const packages = new Map<string, number>();
for (const m of stats.modules) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m.name);
  const name = match?.[1] ?? (m.name.includes('/lib/') ? 'HouseCat (lib/)' : m.name);
  packages.set(name, (packages.get(name) ?? 0) + m.size);
}
const sourceTotal = [...packages.values()].reduce((a, b) => a + b, 0);
console.log(`\nsources in the chunks before minification: ${mb(sourceTotal)}`);
console.log('\n| package | source size |\n|---|---|');
for (const [name, bytes] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`| ${name} | ${mb(bytes)} |`);
