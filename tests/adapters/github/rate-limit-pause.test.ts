/**
 * Two replicas (two Redis connections, two Octokit clients built as the app builds them) against the
 * GitHub stand-in over real HTTP and a real redis-server. GitHub's rate limit, answered as 403 or
 * 429, with or without retry-after, or as a primary limit with x-ratelimit-reset: the request is
 * sent once (never retried into the limit), and the other replica sends nothing until the wait GitHub
 * asked for is over. The wait is read back from Redis; the reset is computed on an injected clock.
 */
import { ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubRateLimitedError, withRateLimitPause } from '../../../src/adapters/github/rate-limit-pause.js';
import { createSharedContentThrottle } from '../../../src/adapters/github/shared-throttle.js';
import { createStore } from '../../../src/adapters/store/index.js';
import type { RedisStore } from '../../../src/adapters/store/redis-store.js';
import {
  type GhFault,
  type GitHubServer,
  primaryRateLimit,
  secondaryRateLimit,
  startGitHubServer,
} from '../../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';

const ROUTE = 'GET /repos/{owner}/{repo}/issues';
const NOW = Math.floor(Date.now() / 1000) * 1000; // the app's clock, fixed on a whole second
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("GitHub's rate limits, paused across replicas", () => {
  let gh: GitHubServer;
  let token: string;
  let stores: RedisStore[] = [];

  beforeAll(async () => {
    gh = await startGitHubServer();
    token = gh.createToken(['acme/shop']);
  });
  afterAll(() => gh.close());
  afterEach(async () => {
    for (const s of stores) await s.close();
    stores = [];
  });

  /** Two replicas on one Redis prefix: each an Octokit as createApp builds it (retry plugin on). */
  function replicas() {
    const prefix = uniquePrefix('ghpause');
    stores = [0, 1].map(() => createStore({ REDIS_URL: testRedisUrl() }, { prefix }) as RedisStore);
    return stores.map((store) => {
      const throttle = createSharedContentThrottle(store);
      const Octokit = withRateLimitPause(ProbotOctokit, throttle, () => NOW);
      const octokit = new Octokit({
        auth: { token },
        baseUrl: gh.url,
        throttle: { enabled: false },
        log: quiet,
      });
      return { store, octokit };
    });
  }

  const list = (octokit: InstanceType<typeof ProbotOctokit>) =>
    octokit.request(ROUTE, { owner: 'acme', repo: 'shop' });
  const sent = () => gh.requests.filter((r) => r.route === ROUTE).length;

  async function limitedOnce(fault: GhFault) {
    const [a, b] = replicas();
    gh.failNext(ROUTE, fault);
    const before = sent();
    await expect(list(a!.octokit)).rejects.toMatchObject({ status: fault.status });
    // Sent once: Octokit's retry plugin re-sends a 429 after 1, 4 and 9 s unless told not to.
    expect(sent()).toBe(before + 1);
    // The other replica sends nothing while the pause lasts, and says why.
    const refused = await list(b!.octokit).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GitHubRateLimitedError);
    expect(sent()).toBe(before + 1);
    return b!.store.pauseLeft('github-content');
  }

  it.each([403, 429] as const)('waits retry-after on a %i secondary limit', async (status) => {
    const left = await limitedOnce(secondaryRateLimit(status, 30));
    expect(left).toBeGreaterThan(25_000);
    expect(left).toBeLessThanOrEqual(30_000);
  });

  it.each([403, 429] as const)('waits 60 s on a %i secondary limit without retry-after', async (status) => {
    const left = await limitedOnce(secondaryRateLimit(status));
    expect(left).toBeGreaterThan(55_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it.each([403, 429] as const)('waits until x-ratelimit-reset on a %i primary limit', async (status) => {
    const left = await limitedOnce(primaryRateLimit(status, NOW / 1000 + 300));
    expect(left).toBeGreaterThan(296_000);
    expect(left).toBeLessThanOrEqual(301_000);
  });

  it('pauses after a success that used the last request of the hour', async () => {
    const [a, b] = replicas();
    gh.failNext(ROUTE, { apply: true, headers: primaryRateLimit(403, NOW / 1000 + 90).headers! });
    const before = sent();
    await list(a!.octokit);
    await expect(list(b!.octokit)).rejects.toBeInstanceOf(GitHubRateLimitedError);
    expect(sent()).toBe(before + 1);
    const left = await b!.store.pauseLeft('github-content');
    expect(left).toBeGreaterThan(86_000);
    expect(left).toBeLessThanOrEqual(91_000);
  });

  it('does not pause on a permission refusal (403 without a rate limit)', async () => {
    const [a, b] = replicas();
    gh.failNext(ROUTE, { status: 403, message: 'Resource not accessible by integration' });
    await expect(list(a!.octokit)).rejects.toMatchObject({ status: 403 });
    await list(b!.octokit);
    expect(await b!.store.pauseLeft('github-content')).toBe(0);
  });
});
