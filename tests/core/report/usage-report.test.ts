import { describe, expect, it } from 'vitest';
import { toJsonReport } from '../../../src/core/report/json.js';
import { renderPrComment, renderSummaryMarkdown } from '../../../src/core/report/markdown.js';
import { renderTable } from '../../../src/core/report/table.js';
import type { RunMode, RunResult } from '../../../src/core/types.js';
import { estimateCostUsd, PRICE_TABLE, priceOf } from '../../../src/core/usage/prices.js';
import { makeTest } from '../../support/test-definitions.js';

const tests = [
  makeTest('login', { name: 'Login' }),
  makeTest('search', { name: 'Search' }),
  makeTest('home', { name: 'Home' }),
];

function goal(slug: string, mode: RunMode | undefined, calls: number, tokens: number): RunResult {
  return {
    runId: `run-${slug}`,
    testId: `acme--shop--${slug}`,
    status: 'passed',
    reason: 'ok',
    agent: mode ? 'claude' : 'checks',
    startedAt: 0,
    durationMs: 900,
    steps: [],
    evidence: {},
    usage: {
      llmCalls: calls,
      inputTokens: tokens,
      outputTokens: calls * 100,
      ...(mode
        ? {
            costUsd: estimateCostUsd('claude-sonnet-5-5', { inputTokens: tokens, outputTokens: calls * 100 }),
          }
        : {}),
    },
    ...(mode ? { mode } : {}),
  };
}

const results = [
  goal('login', 'agent', 4, 20_000),
  goal('search', 'replay', 0, 0),
  goal('home', undefined, 0, 0),
];

describe('usage in reports', () => {
  it('prices a model by its family and leaves unknown models without an estimate', () => {
    expect(priceOf('claude-sonnet-5-5')).toBe(PRICE_TABLE[1]);
    expect(estimateCostUsd('claude-sonnet-5-5', { inputTokens: 1_000_000, outputTokens: 100_000 })).toBe(4.5);
    expect(estimateCostUsd('gpt-9', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it('shows the mode and tokens of each test and the total in the run table', () => {
    const lines = renderTable(results, tests, 2000, { width: 120 }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TEST\s+STATUS\s+DURATION\s+MODE\s+TOKENS\s+REASON$/);
    expect(lines[1]).toMatch(/^Login\s+PASS\s+900 ms\s+agent\s+20k\s+ok$/);
    expect(lines[2]).toMatch(/^Search\s+PASS\s+900 ms\s+replay\s+0\s+ok$/);
    expect(lines[3]).toMatch(/^Home\s+PASS\s+900 ms\s+–\s+–\s+ok$/);
    expect(lines.at(-1)).toBe('LLM: 4 calls, 20k tokens (≈ $0.066); 1 replayed with 0 calls');
  });

  it('shows the mode and tokens in the job summary and the PR comment', () => {
    for (const body of [renderSummaryMarkdown(results, tests), renderPrComment(results, tests)]) {
      expect(body).toContain('| Test | Status | Duration | Mode | Tokens | Reason |');
      expect(body).toContain('| Search | ✅ passed | 900 ms | replay | 0 | ok |');
      expect(body).toContain('LLM: 4 calls, 20k tokens (≈ $0.066); 1 replayed with 0 calls');
    }
  });

  it('carries mode and usage per test and in total in the JSON report', () => {
    const report = toJsonReport(results, tests, { startedAt: 0, durationMs: 2000 });
    expect(report.results[1]).toMatchObject({ mode: 'replay', usage: { llmCalls: 0 } });
    expect(report.results[2]).not.toHaveProperty('mode');
    expect(report.usage).toEqual({ llmCalls: 4, inputTokens: 20_000, outputTokens: 400, costUsd: 0.066 });
  });
});
