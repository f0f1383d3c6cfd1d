/**
 * Builds the Action bundle the way `npm run build` does (tsc to lib/, then ncc) into a private
 * temporary folder, so Action tests run the current sources (run it with support/action.ts).
 *
 * playwright-core cannot be bundled by ncc (it locates its own package.json at run time), so it is
 * kept external and copied next to the bundle in node_modules/ — as the committed dist/ must be.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

let building: Promise<string> | undefined;

/** Builds once per test process; returns the path of the bundle's index.js. */
export function buildActionBundle(): Promise<string> {
  building ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'housecat-dist-'));
    const npx = (args: string[]) =>
      execFileSync('npx', args, { cwd: repoRoot, stdio: 'pipe', timeout: 300_000 });
    try {
      npx(['tsc', '-p', 'tsconfig.build.json']);
    } catch (error) {
      // tsc still emits lib/ on type errors in files under construction; the bundle shows what breaks.
      const output = String((error as { stdout?: Buffer }).stdout ?? '');
      if (!existsLib()) throw new Error(`tsc -p tsconfig.build.json failed:\n${output}`);
    }
    // The same script as `npm run build`, into a private folder.
    execFileSync(process.execPath, [join(repoRoot, 'scripts/bundle-action.mjs'), out], {
      cwd: repoRoot,
      stdio: 'pipe',
      timeout: 300_000,
    });
    return join(out, 'index.js');
  })();
  return building;
}

function existsLib(): boolean {
  try {
    readFileSync(join(repoRoot, 'lib/action/index.js'));
    return true;
  } catch {
    return false;
  }
}
