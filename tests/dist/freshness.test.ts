/**
 * The committed Action bundle is the current build, byte for byte: a fresh `npm run build` bundle
 * (in a temporary folder) against the files git tracks under dist/, both ways. A file that is only
 * in the work tree — ignored or untracked — does not count as shipped: it is missing here, as it
 * is from every clone of the repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFreshBundle, listFiles, trackedDistFiles } from '../support/action-bundle.js';
import { repoRoot } from '../support/cli.js';

const FIX = 'Run `npm run build` and commit all of dist/ (`git add -A dist`).';

let fresh: string;
let built: string[];
let tracked: string[];

beforeAll(async () => {
  fresh = await buildFreshBundle();
  built = listFiles(fresh);
  tracked = trackedDistFiles();
}, 300_000);

describe('the committed dist/', () => {
  it('holds every file a fresh build makes (ignored and untracked files count as missing)', () => {
    const missing = built.filter((file) => !tracked.includes(file)).map((file) => `dist/${file}`);
    expect(missing, `not committed (git ls-files dist lacks them). ${FIX}`).toEqual([]);
  });

  it('holds no file a fresh build does not make', () => {
    const extra = tracked.filter((file) => !built.includes(file)).map((file) => `dist/${file}`);
    expect(extra, `committed but no longer built. Remove them: ${FIX}`).toEqual([]);
  });

  it('has the same bytes as a fresh build in every file', () => {
    const differing = built
      .filter((file) => tracked.includes(file))
      .filter((file) => {
        let committed: Buffer;
        try {
          committed = readFileSync(join(repoRoot, 'dist', file));
        } catch {
          return true; // tracked, but deleted from the work tree
        }
        return !committed.equals(readFileSync(join(fresh, file)));
      })
      .map((file) => `dist/${file}`);
    expect(differing, `stale: these differ from a fresh build. ${FIX}`).toEqual([]);
  });
});
