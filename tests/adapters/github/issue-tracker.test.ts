import { ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubIssueTracker, type GitHubOctokit } from '../../../src/adapters/github/issue-tracker.js';
import { createContentThrottle } from '../../../src/adapters/github/throttle.js';
import { createStore } from '../../../src/adapters/store/index.js';
import { evaluateIncident, type IncidentDeps } from '../../../src/app/evaluate-incident.js';
import { type DrainReport, drainTestOutbox } from '../../../src/app/outbox-pass.js';
import { ServiceError } from '../../../src/core/errors.js';
import { incidentMarker } from '../../../src/core/incidents/render.js';
import type { Store } from '../../../src/core/ports.js';
import type { RunStatus, TestDefinition } from '../../../src/core/types.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { makeTest } from '../../support/test-definitions.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';

const REPO = 'acme/shop';

describe('GitHub incidents', () => {
  let gh: GitHubServer;
  let store: Store;
  let octokit: GitHubOctokit;
  let t = Date.now() - 3_600_000;

  beforeAll(async () => {
    gh = await startGitHubServer({ contentLimit: { max: 20, windowMs: 1000 } });
    octokit = new ProbotOctokit({
      auth: { token: gh.createToken([REPO]) },
      baseUrl: gh.url,
      throttle: { enabled: false },
      log: { debug() {}, info() {}, warn() {}, error() {} },
    }) as GitHubOctokit;
  });
  afterAll(() => gh.close());
  afterEach(async () => {
    await store?.close();
    gh.state.issues.length = 0;
    gh.state.comments.length = 0;
  });

  function deps(
    overrides: { createTimeoutMs?: number; throttleMax?: number; bridge?: UpstashBridge } = {},
  ): IncidentDeps {
    const clock = { now: () => t };
    const env = overrides.bridge
      ? { UPSTASH_REDIS_REST_URL: overrides.bridge.url, UPSTASH_REDIS_REST_TOKEN: overrides.bridge.token }
      : { REDIS_URL: testRedisUrl() };
    store = createStore(env, { prefix: uniquePrefix('gh'), clock })!;
    const tracker = createGitHubIssueTracker({
      octokitFor: async () => octokit,
      throttle: createContentThrottle({ max: overrides.throttleMax ?? 20, windowMs: 1000 }),
      createTimeoutMs: overrides.createTimeoutMs ?? 5000,
      reconcileDelaysMs: [50, 200, 500],
    });
    return { store, tracker, clock };
  }

  async function run(
    d: IncidentDeps,
    test: TestDefinition,
    status: RunStatus,
    reason = `${status}: no "Welcome"`,
  ) {
    t += 60_000;
    await d.store.recordRun(
      {
        runId: `run-${t}-${test.slug}`,
        testId: test.id,
        status,
        reason,
        agent: 'checks',
        startedAt: t,
        durationMs: 120,
        responseMs: 80,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      },
      [{ type: status === 'passed' ? 'pass' : 'fail', message: reason, at: t }],
    );
    return evaluateAndDrain(d, test);
  }

  /** Decides (saving the decision and its GitHub work), then drains the test's outbox, as a delivery does. */
  async function evaluateAndDrain(d: IncidentDeps, test: TestDefinition) {
    const outcome = await evaluateIncident(d, test);
    const quiet = { info() {}, warn() {}, error() {} };
    const drained: DrainReport = await drainTestOutbox({ ...d, logger: quiet }, test.id);
    const saved = await d.store.getIncident(test.id);
    return { ...outcome, issueNumber: saved?.issueNumber ?? outcome.issueNumber, drained };
  }

  it('opens nothing while a test flaps with thresholds 2/1', async () => {
    const d = deps();
    const test = makeTest('flappy');
    for (const s of ['failed', 'passed', 'failed', 'passed'] as const)
      expect((await run(d, test, s)).decision).toBe('none');
    expect(gh.issuesOf(REPO)).toHaveLength(0);
  });

  it('opens one issue, comments only on a new reason, and closes with a summary on recovery', async () => {
    const d = deps();
    const test = makeTest('login-flow', { name: 'Login Flow' });
    await run(d, test, 'failed');
    const opened = await run(d, test, 'failed');
    expect(opened).toMatchObject({ decision: 'open', issueNumber: 1 });
    await run(d, test, 'failed');
    await run(d, test, 'error', 'timeout');
    await run(d, test, 'failed', 'status 502');
    await run(d, test, 'failed', 'status 503');
    const [issue] = gh.issuesOf(REPO);
    expect(issue?.title).toBe('🔴 Login Flow is failing');
    expect(issue?.labels.map((l) => l.name).sort()).toEqual(['housecat', 'incident']);
    expect(issue?.body?.split('\n')[0]).toBe(incidentMarker(test.id));
    expect(gh.commentsOf(REPO, 1)).toHaveLength(1); // the reason changed once (502 ~ 503)
    expect(await run(d, test, 'passed', 'ok')).toMatchObject({ decision: 'resolve', issueNumber: 1 });
    const comments = gh.commentsOf(REPO, 1);
    expect(comments).toHaveLength(2);
    expect(comments[1]?.body).toContain('Recovered');
    expect(comments[1]?.body).toContain('| Failed runs | 5 |');
    expect(gh.issuesOf(REPO)[0]?.state).toBe('closed');
    expect(await d.store.getIncident(test.id)).toMatchObject({ status: 'resolved' });
    // fails again: a new issue
    await run(d, test, 'failed');
    expect(await run(d, test, 'failed')).toMatchObject({ decision: 'open', issueNumber: 2 });
  });

  it('posts the "reason changed" comment once when saving the decision failed and the run is evaluated again', async () => {
    // The store through the Upstash bridge, which can refuse the one write that saves the incident.
    const bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    try {
      const d = deps({ bridge });
      const test = makeTest('reason-save-fails');
      await run(d, test, 'failed', 'status 502');
      expect(await run(d, test, 'failed', 'status 502')).toMatchObject({ decision: 'open', issueNumber: 1 });
      const save = bridge.failNext({
        match: (commands) =>
          commands.some((c) => c[0] === 'HSET' && (c[1] ?? '').endsWith(`incident:${test.id}`)),
        mode: 'refuse',
      });
      const error = await run(d, test, 'failed', 'text "Welcome" not found').catch((e: unknown) => e);
      expect(save.fired, 'the bridge never saw the incident save it was told to refuse').toBe(true);
      expect(error).toBeInstanceOf(ServiceError);
      // The comment is saved with the decision, so neither was: nothing was posted.
      expect(gh.commentsOf(REPO, 1)).toHaveLength(0);
      expect(await d.store.outbox.pending(test.id)).toEqual([]);
      // The redelivery evaluates the same recorded run again: the same decision, one comment.
      expect(await evaluateAndDrain(d, test)).toMatchObject({ decision: 'reason-changed', issueNumber: 1 });
      expect(await evaluateAndDrain(d, test)).toMatchObject({ decision: 'update', issueNumber: 1 });
      const comments = gh.commentsOf(REPO, 1);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain('Still failing, for a different reason');
      expect(await d.store.getIncident(test.id)).toMatchObject({ lastReason: 'text "Welcome" not found' });
    } finally {
      await bridge.close();
    }
  });

  it('treats a person closing the issue as acknowledgement: no reopen, no new issue until recovered and failed again', async () => {
    const d = deps();
    const test = makeTest('ack');
    await run(d, test, 'failed');
    await run(d, test, 'failed');
    gh.closeAsUser(REPO, 1, 'alice'); // the webhook may be lost: the next run notices
    expect(await run(d, test, 'failed', 'another reason')).toMatchObject({
      decision: 'reason-changed',
      status: 'acknowledged',
    });
    await run(d, test, 'failed');
    expect(gh.issuesOf(REPO)).toHaveLength(1);
    expect(gh.issuesOf(REPO)[0]?.state).toBe('closed');
    expect(gh.commentsOf(REPO, 1)).toHaveLength(0);
    expect(await run(d, test, 'passed', 'ok')).toMatchObject({ decision: 'resolve' });
    expect(gh.issuesOf(REPO)[0]?.state).toBe('closed');
    // Not quiet: the results summary goes to the closed issue, as docs/bot.md says.
    expect(gh.commentsOf(REPO, 1).map((c) => c.body)).toEqual([expect.stringContaining('Recovered')]);
    await run(d, test, 'failed');
    await run(d, test, 'failed');
    expect(gh.issuesOf(REPO).map((i) => i.state)).toEqual(['closed', 'open']);
  });

  it('keeps one issue when the create times out after GitHub created it', async () => {
    const d = deps({ createTimeoutMs: 200 });
    const test = makeTest('slow-github');
    gh.failNext('POST /repos/{owner}/{repo}/issues', { apply: true, delayMs: 1500 });
    const from = gh.requests.length;
    await run(d, test, 'failed');
    expect(await run(d, test, 'failed')).toMatchObject({ decision: 'open', issueNumber: 1 });
    await run(d, test, 'failed');
    expect(gh.issuesOf(REPO)).toHaveLength(1);
    expect(
      gh.requests.slice(from).filter((r) => r.route === 'POST /repos/{owner}/{repo}/issues'),
    ).toHaveLength(1);
    expect(await d.store.getIncident(test.id)).toMatchObject({ issueNumber: 1 });
  });

  it('does not create twice after a 502, and the next run creates the missing issue', async () => {
    const d = deps();
    const test = makeTest('bad-gateway');
    gh.failNext('POST /repos/{owner}/{repo}/issues', { status: 502 });
    await run(d, test, 'failed');
    const failed = await run(d, test, 'failed');
    expect(failed.drained).toMatchObject({ done: 0, retrying: 1 });
    expect(gh.issuesOf(REPO)).toHaveLength(0);
    const pending = await d.store.getIncident(test.id);
    expect(pending?.status).toBe('open');
    expect(pending?.issueNumber).toBeUndefined();
    const [queued] = await d.store.outbox.pending(test.id);
    expect(queued).toMatchObject({ kind: 'create', attempts: 1, lastError: expect.stringContaining('502') });
    // The next run decides "open" again; the create already queued is the one carried out.
    expect(await run(d, test, 'failed')).toMatchObject({ decision: 'open', issueNumber: 1 });
    expect(gh.issuesOf(REPO)).toHaveLength(1);
    expect(await d.store.outbox.pending(test.id)).toEqual([]);
  });

  it('adopts an open issue that carries the marker instead of creating another', async () => {
    const d = deps();
    const test = makeTest('adopt');
    gh.seedIssue(REPO, {
      title: 'old',
      body: `${incidentMarker(test.id)}\nfrom before Redis was wiped`,
      labels: [{ id: 1, name: 'housecat', color: 'x', description: null }],
    });
    await run(d, test, 'failed');
    expect(await run(d, test, 'failed')).toMatchObject({ decision: 'open', issueNumber: 1 });
    expect(gh.issuesOf(REPO)).toHaveLength(1);
  });

  it('opens exactly one issue per test when 100 tests fail at once, within the content limit', async () => {
    // The throttle stays a little under the server's limit: the two clocks never agree exactly.
    const d = deps({ throttleMax: 18 });
    const tests = Array.from({ length: 100 }, (_, i) => makeTest(`page-${i}`));
    const from = gh.requests.length;
    for (const round of [1, 2, 3]) {
      t += 60_000;
      await Promise.all(tests.map((test) => run(d, test, 'failed', `round ${round}`)));
    }
    const issues = gh.issuesOf(REPO);
    expect(issues).toHaveLength(100);
    expect(new Set(issues.map((i) => i.body?.split('\n')[0])).size).toBe(100);
    const mine = gh.requests.slice(from);
    expect(mine.filter((r) => r.status === 403)).toHaveLength(0);
    // No more than 20 creations in any 1-second window.
    const creates = mine.filter((r) => r.method === 'POST' && r.route?.endsWith('/issues')).map((r) => r.at);
    for (const at of creates)
      expect(creates.filter((x) => x >= at && x < at + 1000).length).toBeLessThanOrEqual(20);
  });
});
