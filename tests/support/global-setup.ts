/**
 * Vitest global setup: one real redis-server for the whole run. Test files isolate themselves with
 * a unique key prefix (see redis.ts), never with FLUSHALL.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.js';

const root = join(import.meta.dirname, '../..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The CLI tests run the real bin, which runs the compiled lib/: compile it from the current sources,
  // unless lib/ is already newer than every source (a one-file run then starts in about a second).
  if (libIsFresh()) return startRedis(project);
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0)
    process.stderr.write(`tsc -p tsconfig.build.json reported errors:\n${tsc.stdout}${tsc.stderr}\n`);
  else writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return startRedis(project);
}

const stamp = join(root, 'lib/.build-stamp');

/** True when lib/ was built after the newest change to src/ and the build configuration. */
function libIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  const newest = (dir: string): number =>
    // A folder's own time changes when a file in it is deleted or renamed.
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, statSync(dir).mtimeMs);
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(root, f)).mtimeMs);
  return built > Math.max(newest(join(root, 'src')), ...configs);
}

async function startRedis(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
