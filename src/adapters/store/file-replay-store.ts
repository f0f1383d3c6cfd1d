/**
 * Replay scripts on disk for a local `housecat run` without Redis: `.housecat/replay/{id}.json`
 * next to the definitions file (`.housecat/` is git-ignored). Writes go to a temporary file first,
 * then rename, so an interrupted run never leaves half a script.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayScript, ReplayStore } from '../../core/replay/index.js';

/** The directory of a definitions file's scripts. */
export function replayDirFor(definitionsDir: string): string {
  return join(definitionsDir, '.housecat', 'replay');
}

export function createFileReplayStore(dir: string): ReplayStore {
  const file = (testId: string) => {
    // Test ids are URL-safe slugs; refuse anything that could leave the directory.
    if (!/^[A-Za-z0-9._-]+$/.test(testId) || testId.includes('..')) {
      throw new Error(`"${testId}" is not a test id`);
    }
    return join(dir, `${testId}.json`);
  };
  const read = async (testId: string): Promise<ReplayScript | null> => {
    let text: string;
    try {
      text = await readFile(file(testId), 'utf8');
    } catch {
      return null;
    }
    try {
      const script = JSON.parse(text) as ReplayScript;
      if (script.testId !== testId || !Array.isArray(script.steps) || !script.evidence) return null;
      return script;
    } catch {
      return null;
    }
  };
  const write = async (script: ReplayScript) => {
    await mkdir(dir, { recursive: true });
    const target = file(script.testId);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(script, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, target);
  };
  return {
    where: dir,
    get: read,
    save: write,
    async markVerified(testId, at) {
      const script = await read(testId);
      if (script) await write({ ...script, lastVerifiedAt: at });
    },
    async clear(testIds) {
      let removed = 0;
      for (const id of testIds) {
        try {
          await unlink(file(id));
          removed += 1;
        } catch {
          // not there: nothing to clear
        }
      }
      return removed;
    },
  };
}
