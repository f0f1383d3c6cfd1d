/**
 * A lease found gone while still working is reported as what is known (it expired or another worker
 * took it, and when it was last held), not as a guessed Redis outage. Real redis-server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { acquireLease } from '../../src/app/lease.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

describe('a lost lease', () => {
  const store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('lease') })!;
  afterAll(() => store.close?.());

  it('says it expired or was taken, and when it was last held', async () => {
    let warned: (line: string) => void = () => {};
    const warning = new Promise<string>((resolve) => {
      warned = resolve;
    });
    const logger = { info() {}, error() {}, warn: (line: string) => warned(line) };
    const lease = await acquireLease({ store, logger }, 'drain:t1', 'worker-a', 300);
    expect(lease).not.toBeNull();
    // Another worker takes the claim: worker-a's next renewal finds it gone.
    await store.release('drain:t1', 'worker-a');
    expect(await store.claim('drain:t1', 'worker-b', 60_000)).toBe(true);
    const line = await warning;
    lease!.stop();
    expect(line).toMatch(/lost the lease drain:t1 while still working: it expired or another worker took it/);
    expect(line).toMatch(/last held at \d{4}-\d\d-\d\dT/);
    expect(line).not.toMatch(/outage/);
  });
});
