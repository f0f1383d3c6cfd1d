/**
 * How runs are reported in money and model calls: the mode of each goal test (agent, replay,
 * healed) and its tokens, and the totals of a run. Shared by the terminal table, the job summary,
 * the PR comment and the JSON report so they all count alike.
 */
import type { RunResult, RunUsage } from '../types.js';

/** `850`, `12.3k`, `1.2M`. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `$0.042`, `$1.20`; `$0` for nothing spent. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.1 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

/** True when any result came from an AI goal run: only then are mode and tokens worth a column. */
export function hasAiRuns(results: RunResult[]): boolean {
  return results.some((r) => r.mode !== undefined || r.usage.llmCalls > 0);
}

/** The mode column: `agent`, `replay`, `healed`, or `–` for checks-only runs. */
export function modeOf(result: RunResult): string {
  return result.mode ?? '–';
}

/** The tokens column: `0` for a replay, `12.3k` for an agent run, `–` without a model. */
export function tokensOf(result: RunResult): string {
  if (result.mode === undefined && result.usage.llmCalls === 0) return '–';
  return formatTokens(result.usage.inputTokens + result.usage.outputTokens);
}

/** The sum of every result's usage (cost only over results that have an estimate). */
export function totalUsage(
  results: RunResult[],
): Required<Pick<RunUsage, 'llmCalls' | 'inputTokens' | 'outputTokens' | 'costUsd'>> {
  const total = { llmCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const r of results) {
    total.llmCalls += r.usage.llmCalls;
    total.inputTokens += r.usage.inputTokens;
    total.outputTokens += r.usage.outputTokens;
    total.costUsd += r.usage.costUsd ?? 0;
  }
  total.costUsd = Math.round(total.costUsd * 10_000) / 10_000;
  return total;
}

/** `LLM: 4 calls, 12.3k tokens (≈ $0.042); 2 replayed with 0 calls, 1 healed`. */
export function usageLine(results: RunResult[]): string {
  const total = totalUsage(results);
  const replayed = results.filter((r) => r.mode === 'replay').length;
  const healed = results.filter((r) => r.mode === 'healed').length;
  const parts = [
    `LLM: ${total.llmCalls} call${total.llmCalls === 1 ? '' : 's'}, ${formatTokens(total.inputTokens + total.outputTokens)} tokens (≈ ${formatUsd(total.costUsd)})`,
  ];
  if (replayed > 0) parts.push(`${replayed} replayed with 0 calls`);
  if (healed > 0) parts.push(`${healed} healed`);
  return parts.join('; ');
}
