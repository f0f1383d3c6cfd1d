/**
 * Vitest global setup: one real redis-server for the whole run. Test files isolate themselves with
 * a unique key prefix (see redis.ts), never with FLUSHALL.
 *
 * It compiles nothing: tests run from source, and the few that run the built CLI call
 * `ensureBuilt()` (built-cli.ts) themselves, so a one-file run of anything else starts at once.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
