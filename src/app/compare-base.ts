/**
 * Compare with the base branch: for each result of a pull request's run, the last recorded run of
 * the same test on the base branch (any source: CLI and PR runs are recorded for exactly this).
 */
import type { Logger, Store, StoredResult } from '../core/ports.js';
import type { RunResult } from '../core/types.js';

/** How far back the comparison looks in a test's history. */
const HISTORY = 50;

/**
 * The base branch's last result per test id (undefined when the branch has none). Returns undefined
 * when the history cannot be read: the comparison is left out, the run still counts.
 */
export async function readBaseline(
  deps: { store: Pick<Store, 'getResults'>; logger?: Logger },
  results: readonly RunResult[],
  baseBranch: string,
): Promise<Map<string, StoredResult | undefined> | undefined> {
  const baseline = new Map<string, StoredResult | undefined>();
  for (const result of results) {
    try {
      const history = await deps.store.getResults(result.testId, { limit: HISTORY });
      baseline.set(
        result.testId,
        history.find((h) => h.source?.branch === baseBranch && h.runId !== result.runId),
      );
    } catch (error) {
      deps.logger?.warn(
        `could not read the last ${baseBranch} run of ${result.testId}: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
  return baseline;
}
