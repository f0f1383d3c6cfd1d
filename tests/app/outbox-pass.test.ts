/**
 * The drainer's lease: two drainers never carry out the same item, and the queue of a drainer that
 * died (its lease not released) is taken over once the lease lapses. Real redis-server, the GitHub
 * stand-in, the real issue tracker.
 */
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGitHubIssueTracker, type GitHubOctokit } from '../../src/adapters/github/issue-tracker.js';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import { createStore } from '../../src/adapters/store/index.js';
import { type DrainDeps, drainOutbox, drainTestOutbox } from '../../src/app/outbox-pass.js';
import { incidentMarker } from '../../src/core/incidents/render.js';
import type { Incident } from '../../src/core/types.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const REPO = 'acme/shop';

describe('draining the GitHub outbox', () => {
  let gh: GitHubServer;
  let deps: DrainDeps;

  beforeAll(async () => {
    gh = await startGitHubServer({ contentLimit: { max: 1000, windowMs: 60_000 } });
    const octokit = new ProbotOctokit({
      auth: { token: gh.createToken([REPO]) },
      baseUrl: gh.url,
      throttle: { enabled: false },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    }) as GitHubOctokit;
    const store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('drain') })!;
    deps = {
      store,
      tracker: createGitHubIssueTracker({
        octokitFor: async () => octokit,
        throttle: createContentThrottle({ max: 1000, windowMs: 60_000 }),
      }),
      clock: { now: () => Date.now() },
      logger: { info() {}, warn() {}, error() {} },
    };
  });
  afterAll(async () => {
    await deps.store.close();
    await gh.close();
  });

  async function queueIncident(testId: string) {
    const since = Date.now() - 60_000;
    const incident: Incident = {
      testId,
      repo: REPO,
      status: 'open',
      since,
      openedAt: since,
      lastFailureAt: since,
      lastReason: 'down',
      failedRuns: 1,
    };
    const base = { testId, repo: REPO, since, createdAt: Date.now(), attempts: 0 };
    await deps.store.outbox.commit({
      save: incident,
      work: [
        {
          ...base,
          id: `${testId}-c`,
          kind: 'create',
          title: testId,
          body: `${incidentMarker(testId)}\nbody`,
        },
        { ...base, id: `${testId}-m`, kind: 'comment', body: 'still down', marker: `<!-- m ${testId} -->` },
      ],
    });
  }

  it('carries out each item once when several drainers run at the same time', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `acme--shop--together-${i}`);
    for (const id of ids) await queueIncident(id);
    const reports = await Promise.all([drainOutbox(deps), drainOutbox(deps), drainOutbox(deps)]);
    expect(reports.reduce((n, r) => n + r.done, 0)).toBe(ids.length * 2);
    for (const id of ids) {
      const issues = gh.issuesOf(REPO).filter((i) => i.title === id);
      expect(issues, id).toHaveLength(1);
      expect(gh.commentsOf(REPO, issues[0]!.number), id).toHaveLength(1);
      expect(await deps.store.getIncident(id)).toMatchObject({ issueNumber: issues[0]!.number });
    }
    const creates = gh.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues');
    expect(creates).toHaveLength(ids.length);
  });

  it("takes over a dead drainer's queue once its lease lapses", async () => {
    const id = 'acme--shop--orphaned';
    await queueIncident(id);
    // A drainer that died holding the lease: nobody releases or renews it.
    expect(await deps.store.claim(`outbox:${id}`, 'dead-drainer', 800)).toBe(true);
    expect(await drainTestOutbox(deps, id)).toMatchObject({ busy: 1, done: 0 });
    expect(gh.issuesOf(REPO).filter((i) => i.title === id)).toHaveLength(0);
    // Drain again until the lease lapses (a busy drain touches nothing): no guess at how long that takes.
    await vi.waitFor(
      async () => expect(await drainTestOutbox(deps, id)).toMatchObject({ busy: 0, done: 2 }),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    expect(gh.issuesOf(REPO).filter((i) => i.title === id)).toHaveLength(1);
  });
});
