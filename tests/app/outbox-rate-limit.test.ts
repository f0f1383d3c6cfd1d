/**
 * The outbox after GitHub's rate limit (real redis-server, the GitHub stand-in over HTTP, the real
 * issue tracker on a client built as the app builds it): the item comes back when GitHub's wait is
 * over, not after the usual 2 s back-off, and nothing is sent to GitHub in between. Time is the
 * drainer's injected clock; the wait is read from the queue's due time.
 */
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubIssueTracker, type GitHubOctokit } from '../../src/adapters/github/issue-tracker.js';
import { withRateLimitPause } from '../../src/adapters/github/rate-limit-pause.js';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import { createStore } from '../../src/adapters/store/index.js';
import { type DrainDeps, drainTestOutbox } from '../../src/app/outbox-pass.js';
import type { Incident } from '../../src/core/types.js';
import {
  type GitHubServer,
  primaryRateLimit,
  secondaryRateLimit,
  startGitHubServer,
} from '../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const REPO = 'acme/shop';
const COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

describe('the outbox after a GitHub rate limit', () => {
  let gh: GitHubServer;
  let deps: DrainDeps;
  let now = Math.floor(Date.now() / 1000) * 1000;
  let throttle: ReturnType<typeof createContentThrottle>;
  const warnings: string[] = [];

  beforeAll(async () => {
    gh = await startGitHubServer();
    const clock = { now: () => now };
    throttle = createContentThrottle({ max: 1000, windowMs: 60_000, now: clock.now });
    const Octokit = withRateLimitPause(ProbotOctokit, throttle, clock.now);
    const octokit = new Octokit({
      auth: { token: gh.createToken([REPO]) },
      baseUrl: gh.url,
      throttle: { enabled: false },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    }) as GitHubOctokit;
    deps = {
      store: createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('ratelimit'), clock })!,
      tracker: createGitHubIssueTracker({
        octokitFor: async () => octokit,
        throttle,
        reconcileDelaysMs: [],
        now: clock.now,
      }),
      clock,
      logger: { info() {}, warn: (m: string) => warnings.push(m), error() {} },
    };
  });
  afterAll(async () => {
    await deps.store.close();
    await gh.close();
  });

  async function queueComment(testId: string) {
    const issue = gh.seedIssue(REPO, { title: testId });
    const incident: Incident = {
      testId,
      repo: REPO,
      status: 'open',
      issueNumber: issue.number,
      since: now - 60_000,
      openedAt: now - 60_000,
      lastFailureAt: now,
      lastReason: 'down',
      failedRuns: 2,
    };
    await deps.store.outbox.commit({
      save: incident,
      work: [
        {
          id: `${testId}-m`,
          kind: 'comment',
          testId,
          repo: REPO,
          since: incident.since,
          createdAt: now,
          attempts: 0,
          body: 'still down',
          marker: `<!-- m ${testId} -->`,
          issueNumber: issue.number,
        },
      ],
    });
    return issue.number;
  }

  it.each([
    ['a 429 secondary limit without retry-after', secondaryRateLimit(429), 60_000],
    ['a 403 secondary limit with retry-after', secondaryRateLimit(403, 45), 45_000],
    ['a 429 primary limit', primaryRateLimit(429, 0), 180_000],
  ] as const)('comes back when GitHub says after %s', async (_, fault, waitMs) => {
    const testId = `acme--shop--limited-${waitMs}-${fault.status}`;
    const number = await queueComment(testId);
    if (fault.headers?.['x-ratelimit-reset'] === '0') {
      fault.headers['x-ratelimit-reset'] = String(now / 1000 + 179); // +1 s past the reset
    }
    gh.failNext(COMMENT, fault);
    expect(await drainTestOutbox(deps, testId)).toMatchObject({ retrying: 1 });
    const head = await deps.store.outbox.head(testId);
    expect(head?.dueAt).toBe(now + waitMs);
    // Just before the wait is over: nothing is sent (the pause holds the request back).
    const posts = gh.requests.filter((r) => r.route === COMMENT).length;
    now += waitMs - 1000;
    await deps.store.outbox.retryLater(testId, head!.raw, head!.item, now); // due now, still paused
    expect(await drainTestOutbox(deps, testId)).toMatchObject({ retrying: 1 });
    expect(gh.requests.filter((r) => r.route === COMMENT).length).toBe(posts);
    // Once it is over, the comment is made, once.
    now += 60_000;
    expect(await drainTestOutbox(deps, testId)).toMatchObject({ done: 1 });
    expect(gh.commentsOf(REPO, number)).toHaveLength(1);
  });

  it('says the real wait when a rate-limit pause began while its request was out', async () => {
    const testId = 'acme--shop--paused-meanwhile';
    await queueComment(testId);
    // The comment fails with a 502; while it is out, another request is rate limited (38 s).
    gh.failNext(COMMENT, { status: 502, message: 'Bad Gateway', delayMs: 300 });
    const sent = gh.requests.filter((r) => r.route === COMMENT).length;
    const drained = drainTestOutbox(deps, testId);
    while (gh.requests.filter((r) => r.route === COMMENT).length === sent) {
      await new Promise((r) => setImmediate(r));
    }
    throttle.pause(38_000);
    expect(await drained).toMatchObject({ retrying: 1 });
    expect((await deps.store.outbox.head(testId))?.dueAt).toBe(now + 38_000);
    expect(warnings.at(-1)).toMatch(/retrying in 38 s \(GitHub's rate-limit pause is in force\)/);
  });
});
