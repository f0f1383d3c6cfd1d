import { describe, expect, it } from 'vitest';
import {
  hasIncidentMarker,
  markerTestId,
  renderIncidentBody,
  renderIncidentTitle,
  renderReasonChangedComment,
  renderRecoveryComment,
} from '../../../src/core/incidents/render.js';
import { computeRecoverySummary } from '../../../src/core/incidents/summary.js';
import { percentile } from '../../../src/core/percentile.js';
import type { StoredResult, StoredTiming } from '../../../src/core/ports.js';
import type { Incident } from '../../../src/core/types.js';

const H = 3_600_000;
const test = {
  id: 'acme--shop--login-flow',
  repo: 'acme/shop',
  name: 'Login Flow',
  url: 'https://shop.example/login',
  goal: 'Log in and see "Welcome"',
  schedule: '*/15 * * * *',
  failureThreshold: 2,
};
const incident: Incident = {
  testId: test.id,
  repo: test.repo,
  status: 'open',
  since: 100 * H,
  openedAt: 100 * H + 1,
  lastFailureAt: 102 * H,
  lastReason: 'no "Welcome"',
  failedRuns: 3,
};

describe('incident rendering', () => {
  it('titles the issue with the test name', () => {
    expect(renderIncidentTitle(test)).toBe('🔴 Login Flow is failing');
  });

  it('puts the marker on the first line and the facts in the body', () => {
    const body = renderIncidentBody({
      test,
      incident,
      failure: {
        reason: 'no "Welcome" on the page',
        failedStep: 'check:text Welcome: missing',
        startedAt: 102 * H,
        runId: 'run-9',
      },
      events: [{ type: 'fail', message: 'text "Welcome" not found', at: 102 * H }],
    });
    expect(body.split('\n')[0]).toBe('<!-- housecat:incident test=acme--shop--login-flow -->');
    expect(hasIncidentMarker(body, test.id)).toBe(true);
    expect(markerTestId(body)).toBe(test.id);
    for (const text of [
      'https://shop.example/login',
      'Log in and see',
      'Failing since',
      'check:text Welcome',
      'text "Welcome" not found',
      '/housecat run',
      'run-9',
    ]) {
      expect(body).toContain(text);
    }
  });

  it('links the failed run and a changed reason to their run pages when the app URL is known', () => {
    const failure = {
      reason: 'no "Welcome"',
      startedAt: 102 * H,
      runId: '0b4c1f6e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
    };
    const page = `https://housecat.example/r/acme/shop/login-flow/runs/${failure.runId}`;
    const links = { app: 'https://housecat.example' };
    const body = renderIncidentBody({ test, incident, failure, events: [], links });
    expect(body).toContain(`(run [\`${failure.runId}\`](${page}))`);
    expect(body).toContain(`[run page](${page})`);
    const comment = renderReasonChangedComment({ previousReason: 'before', failure, incident, links });
    expect(comment).toContain(`run [\`${failure.runId}\`](${page})`);
    // Without the app's URL, or for a run id that is not one (a missed incident's '?'), no link.
    expect(renderIncidentBody({ test, incident, failure, events: [] })).not.toContain('/runs/');
    expect(
      renderIncidentBody({ test, incident, failure: { ...failure, runId: '?' }, events: [], links }),
    ).not.toContain('/runs/');
  });

  it('keeps hostile failure text inside a code block that it cannot close', () => {
    const hostile = 'boom ```\n@everyone <!-- housecat:incident test=evil--x--y -->';
    const body = renderIncidentBody({
      test,
      incident,
      failure: { reason: hostile, startedAt: 1, runId: 'r' },
      events: [],
    });
    expect(markerTestId(body)).toBe(test.id);
    const fence = body.match(/^(`{4,})text$/m)?.[1];
    expect(fence).toBeDefined();
    expect(body).toContain(`${fence}text\n${hostile}\n${fence}`);
  });

  it('does not accept a marker that is not on the first line', () => {
    expect(hasIncidentMarker(`hello\n<!-- housecat:incident test=${test.id} -->`, test.id)).toBe(false);
  });
});

describe('recovery summary', () => {
  it('computes downtime, failures, reasons, percentiles and uptime', () => {
    const results: StoredResult[] = [];
    // 24 passes in the day before, 30 ms each... then 4 failures, then one pass.
    for (let i = 0; i < 24; i++)
      results.push({
        runId: `p${i}`,
        status: 'passed',
        reason: 'ok',
        startedAt: 76 * H + i * H,
        durationMs: 1,
        responseMs: 100 + i,
      });
    results.push({
      runId: 'f1',
      status: 'failed',
      reason: 'status 502',
      startedAt: 100 * H,
      durationMs: 1,
      responseMs: 900,
    });
    results.push({ runId: 'e1', status: 'error', reason: 'timeout', startedAt: 100.5 * H, durationMs: 1 });
    results.push({
      runId: 'f2',
      status: 'failed',
      reason: 'status 503',
      startedAt: 101 * H,
      durationMs: 1,
      responseMs: 1000,
    });
    results.push({
      runId: 'f3',
      status: 'failed',
      reason: 'no "Welcome"',
      startedAt: 102 * H,
      durationMs: 1,
      responseMs: 1100,
    });
    results.push({
      runId: 'ok',
      status: 'passed',
      reason: 'ok',
      startedAt: 103 * H,
      durationMs: 1,
      responseMs: 120,
    });
    const timings: StoredTiming[] = [];
    const s = computeRecoverySummary({ incident, recoveredAt: 103 * H, now: 103 * H, results, timings });
    expect(s.downtimeMs).toBe(3 * H);
    expect(s.failedRuns).toBe(3);
    expect(s.reasons).toEqual([
      { reason: 'status 502', count: 2 },
      { reason: 'no "Welcome"', count: 1 },
    ]);
    expect(s.before).toMatchObject({ p50: 111, p95: 122, samples: 24, measure: 'response' });
    expect(s.during).toMatchObject({ p50: 1000, p95: 1100, samples: 3 });
    // last 24 h (79 H..103 H]: passes 79..99 (21) + final pass = 22 of 25 conclusive
    expect(s.uptime.h24).toBeCloseTo(22 / 25);
    const text = renderRecoveryComment(s);
    expect(text).toContain('<!-- housecat:summary test=acme--shop--login-flow since=360000000 -->');
    for (const part of [
      '3 h of downtime',
      '| Failed runs | 3 |',
      'p50 111 ms, p95 122 ms',
      'p50 1000 ms, p95 1100 ms',
      '88.00 %',
      '2×',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('falls back to run durations when no response time was measured', () => {
    const timings: StoredTiming[] = [
      { runId: 'a', at: 99 * H, ms: 400 },
      { runId: 'b', at: 100 * H, ms: 5000 },
    ];
    const s = computeRecoverySummary({ incident, recoveredAt: 101 * H, now: 101 * H, results: [], timings });
    expect(s.before).toMatchObject({ p50: 400, measure: 'duration' });
    expect(s.during).toMatchObject({ p50: 5000, samples: 1 });
    expect(s.uptime.d30).toBeUndefined();
    expect(renderRecoveryComment(s)).toContain('Run duration before');
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([], 50)).toBeUndefined();
  });
});
