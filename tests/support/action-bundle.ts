/**
 * The two bundles the Action tests need:
 * - {@link committedActionPath}: what ships — the files of dist/ that git tracks, copied into a
 *   private folder laid out like the Action's checkout. Ignored and untracked files under dist/
 *   are left behind, as a clone leaves them, so a file git does not hold fails the run.
 * - {@link buildFreshBundle}: what `npm run build` makes from the current sources (tsc to lib/,
 *   then scripts/bundle-action.mjs) in a temporary folder, for the freshness comparison.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ensureBuilt } from './built-cli.js';
import { repoRoot } from './cli.js';

/** The paths under dist/ that git tracks (the index: what the next commit ships), sorted. */
export function trackedDistFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--', 'dist'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .map((path) => path.slice('dist/'.length))
    .sort();
}

let committed: string | undefined;

/**
 * A folder holding `dist/` with exactly the tracked files of the repository's dist/, for
 * GITHUB_ACTION_PATH. Made once per test process.
 * @throws naming every tracked file that is missing from the work tree.
 */
export function committedActionPath(): string {
  if (committed) return committed;
  const files = trackedDistFiles();
  const missing = files.filter((file) => !existsSync(join(repoRoot, 'dist', file)));
  if (missing.length > 0)
    throw new Error(
      `dist/ lacks files that git tracks: ${missing.join(', ')}. Run \`npm run build\` (or \`git checkout -- dist\`).`,
    );
  const path = mkdtempSync(join(tmpdir(), 'housecat-action-path-'));
  for (const file of files) {
    const target = join(path, 'dist', file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(repoRoot, 'dist', file), target);
  }
  committed = path;
  return path;
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

let building: string | undefined;

/**
 * Builds the Action as `npm run build` does, into a private folder; returns that folder. The bundle
 * is made from lib/, compiled from the current sources first.
 */
export async function buildFreshBundle(): Promise<string> {
  if (building) return building;
  await ensureBuilt();
  const out = join(mkdtempSync(join(tmpdir(), 'housecat-dist-')), 'dist');
  execFileSync(process.execPath, [join(repoRoot, 'scripts/bundle-action.mjs'), out], {
    cwd: repoRoot,
    stdio: 'pipe',
    timeout: 300_000,
  });
  building = out;
  return out;
}
