/**
 * The create timeout counts from when a request is sent, not from when it joins Probot's request
 * queue. This uses Probot's own Octokit with its throttling plugin on (the queue that holds content
 * creations 3 s apart, one at a time), so creates really do wait in it.
 */
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubIssueTracker, type GitHubOctokit } from '../../../src/adapters/github/issue-tracker.js';
import { createContentThrottle } from '../../../src/adapters/github/throttle.js';
import { incidentMarker } from '../../../src/core/incidents/render.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('GitHub requests behind Probot’s queue', () => {
  let gh: GitHubServer;

  beforeAll(async () => {
    gh = await startGitHubServer({ contentLimit: { max: 1000, windowMs: 60_000 } });
  });
  afterAll(() => gh.close());

  function tracker(repo: string, createTimeoutMs: number) {
    const octokit = new ProbotOctokit({
      auth: { token: gh.createToken([repo]) },
      baseUrl: gh.url,
      log: quiet,
    }) as GitHubOctokit;
    return createGitHubIssueTracker({
      octokitFor: async () => octokit,
      throttle: createContentThrottle({ max: 1000, windowMs: 60_000 }),
      createTimeoutMs,
      reconcileDelaysMs: [50],
    });
  }

  it('creates every issue when creates wait in the queue longer than the create timeout', async () => {
    const repo = 'acme/queued';
    const t = tracker(repo, 1500);
    const ids = ['queued-a', 'queued-b', 'queued-c'];
    const outcomes = await Promise.allSettled(
      ids.map((id) => t.ensureIncidentIssue(repo, id, { title: id, body: `${incidentMarker(id)}\n${id}` })),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason));
    expect(refused, 'creates aborted while they were still waiting to be sent').toEqual([]);
    expect(
      gh
        .issuesOf(repo)
        .map((i) => i.title)
        .sort(),
    ).toEqual(ids);
    // They really did queue: Probot sent them seconds apart, longer than the timeout in all.
    const sent = gh.requests.filter(
      (r) => r.route === 'POST /repos/{owner}/{repo}/issues' && r.path.includes('queued'),
    );
    expect(sent.at(-1)!.at - sent[0]!.at).toBeGreaterThan(1500);
  }, 60_000);

  it('sends the label requests once when 100 updates of a new repository start at once', async () => {
    const repo = 'acme/labels';
    const octokit = new ProbotOctokit({
      auth: { token: gh.createToken([repo]) },
      baseUrl: gh.url,
      throttle: { enabled: false },
      log: quiet,
    }) as GitHubOctokit;
    const t = createGitHubIssueTracker({
      octokitFor: async () => octokit,
      throttle: createContentThrottle({ max: 1000, windowMs: 60_000 }),
    });
    const ids = Array.from({ length: 100 }, (_, i) => `label-${i}`);
    await Promise.all(
      ids.map((id) => t.ensureIncidentIssue(repo, id, { title: id, body: incidentMarker(id) })),
    );
    const labelPosts = gh.requests.filter(
      (r) => r.route === 'POST /repos/{owner}/{repo}/labels' && r.path.includes('labels'),
    );
    expect(
      labelPosts
        .filter((r) => r.path.startsWith(`/repos/${repo}/`))
        .map((r) => (r.body as { name: string }).name),
    ).toEqual(['housecat', 'incident']);
    expect(gh.issuesOf(repo)).toHaveLength(100);
  }, 60_000);
});
