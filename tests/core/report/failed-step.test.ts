import { describe, expect, it } from 'vitest';
import { blockedSteps, failedStep } from '../../../src/core/report/format.js';
import { toJsonReport } from '../../../src/core/report/json.js';
import type { RunResult, StepRecord } from '../../../src/core/types.js';
import { makeTest } from '../../support/test-definitions.js';

const step = (action: string, ok: boolean, outcome: string, target?: string): StepRecord => ({
  action,
  ok,
  outcome,
  at: 0,
  ...(target ? { target } : {}),
});

function result(status: RunResult['status'], steps: StepRecord[]): RunResult {
  return {
    runId: 'r1',
    testId: 'acme--shop--docs',
    status,
    reason: 'x',
    agent: 'checks',
    startedAt: 0,
    durationMs: 1,
    steps,
    evidence: {},
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
}

// A docs site's unknown route: its live-reload script on another port is refused first, then the
// expected text is missing. The text decided the verdict.
const docs = result('failed', [
  step('blocked', false, 'host 127.0.0.1:35729 is not allowed', 'http://127.0.0.1:35729/livereload.js'),
  step('navigate', true, 'loaded'),
  step('check:status', true, 'got 200'),
  step('check:text', false, 'text "Quick start" not found on the page', '"Quick start"'),
]);

describe('failedStep', () => {
  it('names the check that failed, not a blocked request that came first', () => {
    expect(failedStep(docs)?.action).toBe('check:text');
    expect(blockedSteps(docs)).toEqual([
      'blocked: http://127.0.0.1:35729/livereload.js (host 127.0.0.1:35729 is not allowed)',
    ]);
  });

  it("names the agent's failing verdict over an earlier failed action", () => {
    const run = result('failed', [
      step('click', false, 'failed: timeout'),
      step('verdict', false, 'The cart is empty'),
    ]);
    expect(failedStep(run)?.action).toBe('verdict');
  });

  it('blames a blocked request when nothing else failed', () => {
    const run = result('error', [
      step('blocked', false, 'host evil.example is not allowed', 'evil.example:443'),
    ]);
    expect(failedStep(run)?.action).toBe('blocked');
  });

  it('lists blocked requests apart in the JSON report', () => {
    const report = toJsonReport([docs], [makeTest('docs')], { startedAt: 0, durationMs: 1 });
    expect(report.results[0]?.failedStep).toBe(
      'check:text "Quick start": text "Quick start" not found on the page',
    );
    expect(report.results[0]?.blocked).toEqual([
      'blocked: http://127.0.0.1:35729/livereload.js (host 127.0.0.1:35729 is not allowed)',
    ]);
  });
});
