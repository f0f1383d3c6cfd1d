// Bundles the Action into dist/: ncc for our code and its dependencies, plus a trimmed copy of
// playwright-core, which ncc cannot bundle (it reads its own package.json through __dirname at run
// time, which an ESM bundle does not have). The copy is plain files with no dependencies of its own.
//
// A composite action is downloaded whole on every run, so dist/ ships only what runs: every
// JavaScript file is minified and playwright-core is copied from an allowlist. `npm run bench
// bundle` prints the sizes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// An absolute path (the tests build into a temporary folder) or one relative to the repository root.
const out = process.argv[2]
  ? process.argv[2].startsWith('/')
    ? process.argv[2]
    : join(root, process.argv[2])
  : join(root, 'dist');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

/**
 * The parts of playwright-core that launching Chromium and driving it in process use. Left out:
 * types/, bin/ (browser install scripts), lib/vite (trace viewer, recorder, HTML report,
 * dashboard), lib/tools and lib/entry (its CLI, MCP and dashboard), the webp codec (screencasts
 * for the trace viewer), xdg-open and the Electron loader. The Action tests run the committed
 * bundle in every mode (goal tests with screenshots included), so a file that turns out to be
 * needed fails a test.
 */
export const PLAYWRIGHT_FILES = [
  'LICENSE',
  'NOTICE',
  'ThirdPartyNotices.txt',
  'package.json',
  'browsers.json',
  'index.js',
  'index.mjs',
  'lib/bootstrap.js',
  'lib/coreBundle.js',
  'lib/utilsBundle.js',
  'lib/utilsBundle.js.LICENSE',
  'lib/package.js',
  'lib/server/chromium/appIcon.png',
];

/**
 * Minifies a JavaScript file in place, keeping the license comments. Never with esbuild's
 * keepNames: it wraps named inner functions in a `__name()` helper, and a function handed to
 * `page.evaluate` runs in the page, where that helper does not exist (the visible-text check of a
 * verdict then silently read nothing). Our chunks keep their identifiers, so stack traces from
 * the Action stay readable; playwright-core's two bundles (most of the bytes) get every
 * minification.
 */
function minify(file, { identifiers }) {
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    loader: 'js',
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: identifiers,
    legalComments: 'inline',
    target: 'node20',
  });
  writeFileSync(file, code);
}

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
for (const name of readdirSync(out))
  if (name.endsWith('.js')) minify(join(out, name), { identifiers: false });

const source = join(root, 'node_modules/playwright-core');
const target = join(out, 'node_modules/playwright-core');
for (const file of PLAYWRIGHT_FILES) {
  mkdirSync(dirname(join(target, file)), { recursive: true });
  cpSync(join(source, file), join(target, file));
  if (file.endsWith('Bundle.js')) minify(join(target, file), { identifiers: true });
}
console.log(`bundled the Action into ${out}`);
