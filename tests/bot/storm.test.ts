/**
 * A failure storm: 100 tests with `failure_threshold: 1` fail at once, 100 signed deliveries arrive
 * together over HTTP. Every incident gets exactly one issue within a bounded time, and the GitHub
 * stand-in's content-creation limit (a secondary rate limit: past it, 403 with `retry-after`) is
 * never hit. The limit and HouseCat's throttle are scaled down together (20 per 2 s instead of 80 a
 * minute) so the storm crosses several windows in seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentThrottle } from '../../src/adapters/github/throttle.js';
import { incidentMarker } from '../../src/core/incidents/render.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server.js';
import { makeTest } from '../support/test-definitions.js';
import { busiestWindow, deliverScheduled, type Harness, startHarness } from './harness.js';

const LIMIT = { max: 20, windowMs: 2000 };
const STORM = 100;

describe('100 tests failing at once', () => {
  let gh: GitHubServer;
  let h: Harness;

  beforeAll(async () => {
    gh = await startGitHubServer({ installations: [{ id: 11, repos: ['acme/shop'] }], contentLimit: LIMIT });
    h = await startHarness({
      gh,
      maxRunMs: 10_000,
      incidentWaitMs: 2000,
      // A little under the stand-in's limit: the two clocks never agree exactly.
      throttle: createContentThrottle({ max: LIMIT.max - 2, windowMs: LIMIT.windowMs, maxPerHour: 100_000 }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await gh?.close();
  });

  it('opens exactly one issue per test within a bounded time, never past the content limit', async () => {
    const tests = Array.from({ length: STORM }, (_, i) => makeTest(`storm-${i}`, { failureThreshold: 1 }));
    for (const test of tests) {
      await h.addTest(test);
      h.agent.verdict.set(test.id, { status: 'failed' });
    }
    const started = Date.now();
    const answers = await Promise.all(tests.map((t) => deliverScheduled(h.url, h.signing.current, t.id)));
    expect(
      answers.filter((a) => a.status !== 200).map((a) => a.json),
      'every delivery is answered 200 (the issue work is saved, done or pending)',
    ).toEqual([]);
    for (let i = 0; i < 900 && gh.issuesOf('acme/shop').length < STORM; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsedMs = Date.now() - started;
    const issues = gh.issuesOf('acme/shop');
    expect(issues, `only ${issues.length} issues after ${elapsedMs} ms`).toHaveLength(STORM);
    const markers = issues.map((i) => i.body?.split('\n')[0]);
    expect(new Set(markers).size).toBe(STORM);
    expect(markers.sort()).toEqual(tests.map((t) => incidentMarker(t.id)).sort());
    // Respected, not merely survived: GitHub never had to refuse a creation, and no window held more.
    expect(gh.requests.filter((r) => r.status === 403)).toHaveLength(0);
    expect(busiestWindow(gh, LIMIT.windowMs)).toBeLessThanOrEqual(LIMIT.max);
    // Labels once for the repository, not once per update.
    expect(gh.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/labels')).toHaveLength(2);
    for (const test of tests) {
      const incident = await h.store.getIncident(test.id);
      const issue = issues.find((i) => i.body?.startsWith(incidentMarker(test.id)));
      expect(incident?.issueNumber, test.id).toBe(issue?.number);
    }
    expect(
      (await h.keys()).filter((k) => k === `${h.prefix}outbox` || k.startsWith(`${h.prefix}outbox:`)),
    ).toEqual([]);
  }, 180_000);
});
