import type { RunResult, RunStatus } from '../types.js';

/** How many results have each status. */
export function countsOf(results: RunResult[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
