import { describe, expect, it } from 'vitest';
import { toJsonReport } from '../../../src/core/report/json.js';
import { renderPrComment, renderSummaryMarkdown } from '../../../src/core/report/markdown.js';
import { renderTable } from '../../../src/core/report/table.js';
import type { RunMode, RunResult } from '../../../src/core/types.js';
import { estimateCostUsd, PRICE_TABLE, PRICES_READ_ON, priceOf } from '../../../src/core/usage/prices.js';
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
  it('prices Sonnet 5 and 5.5 at $2 / $10 per million, with a dated table', () => {
    expect(PRICES_READ_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const model of ['claude-sonnet-5-5', 'claude-sonnet-5', 'claude-sonnet-5-5-20260928']) {
      expect(estimateCostUsd(model, { inputTokens: 1_000_000, outputTokens: 100_000 })).toBe(3);
    }
    // The 5.5 row is its own: a prefix match would price it as Sonnet 5 (and vice versa).
    expect(priceOf('claude-sonnet-5-5')?.model).toBe('claude-sonnet-5-5');
    expect(priceOf('claude-sonnet-5')?.model).toBe('claude-sonnet-5');
    expect(PRICE_TABLE.every((r) => r.cacheWritePerMTok === r.inputPerMTok * 1.25)).toBe(true);
    expect(estimateCostUsd('gpt-9', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
    expect(estimateCostUsd('claude-sonnet', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });

  it('counts cache writes at 1.25× input and cache reads at their own rate', () => {
    // A run of 1M input tokens: 100k written to the cache, 800k read from it, 100k uncached.
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cacheWriteTokens: 100_000,
      cacheReadTokens: 800_000,
    };
    // 5.5: 0.1 × $2 + 0.1 × $2.50 + 0.8 × $0.10 = $0.53 (all at the input rate it would say $2).
    expect(estimateCostUsd('claude-sonnet-5-5', usage)).toBe(0.53);
    // Sonnet 5 reads the cache at $0.20: 0.2 + 0.25 + 0.16.
    expect(estimateCostUsd('claude-sonnet-5', usage)).toBe(0.61);
  });

  it('shows the mode and tokens of each test and the total in the run table', () => {
    const lines = renderTable(results, tests, 2000, { width: 120 }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TEST\s+STATUS\s+DURATION\s+MODE\s+TOKENS\s+REASON$/);
    expect(lines[1]).toMatch(/^Login\s+PASS\s+900 ms\s+agent\s+20k\s+ok$/);
    expect(lines[2]).toMatch(/^Search\s+PASS\s+900 ms\s+replay\s+0\s+ok$/);
    expect(lines[3]).toMatch(/^Home\s+PASS\s+900 ms\s+–\s+–\s+ok$/);
    expect(lines.at(-1)).toBe('LLM: 4 calls, 20k tokens (≈ $0.044); 1 replayed with 0 calls');
  });

  it('shows the mode and tokens in the job summary and the PR comment', () => {
    for (const body of [renderSummaryMarkdown(results, tests), renderPrComment(results, tests)]) {
      expect(body).toContain('| Test | Status | Duration | Mode | Tokens | Reason |');
      expect(body).toContain('| Search | ✅ passed | 900 ms | replay | 0 | ok |');
      expect(body).toContain('LLM: 4 calls, 20k tokens (≈ $0.044); 1 replayed with 0 calls');
    }
  });

  it('carries mode and usage per test and in total in the JSON report', () => {
    const report = toJsonReport(results, tests, { startedAt: 0, durationMs: 2000 });
    expect(report.results[1]).toMatchObject({ mode: 'replay', usage: { llmCalls: 0 } });
    expect(report.results[2]).not.toHaveProperty('mode');
    expect(report.usage).toEqual({ llmCalls: 4, inputTokens: 20_000, outputTokens: 400, costUsd: 0.044 });
  });
});
