/**
 * Vitest global setup: one real redis-server for the whole run. Test files isolate themselves with
 * a unique key prefix (see redis.ts), never with FLUSHALL.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.js';

const root = join(import.meta.dirname, '../..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The CLI tests run the real bin, which runs the compiled lib/: compile it from the current sources.
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
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
