/**
 * Vitest global setup: one real redis-server for the whole run. Test files isolate themselves with
 * a unique key prefix (see redis.ts), never with FLUSHALL.
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
