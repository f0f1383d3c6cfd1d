/**
 * Access to the suite's real redis-server from a test file.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** `redis://127.0.0.1:PORT` of the redis-server started by the global setup. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix no other test uses, so test files never see each other's data. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomUUID().slice(0, 8)}:`;
}
