/**
 * Keeps what the run page shows of a recorded run: its record and, for failed and inconclusive
 * runs, the step screenshots and the trace (issue 29). A best effort after the result is recorded:
 * a record or a file that cannot be written is logged and never undoes or fails the run.
 */
import type { Logger } from '../core/ports.js';
import { filesToKeep, type RunRecordStore, toRunRecord } from '../core/run/run-record.js';
import type { RunEvidence, RunResult } from '../core/types.js';

export interface KeepRunRecordDeps {
  runs?: RunRecordStore;
  logger: Logger;
}

/** The binary parts of a run's evidence, taken out of the result before it is stored. */
export type RunBinaries = Pick<RunEvidence, 'stepShots' | 'traceBase64'>;

/** Splits the binaries (screenshots, trace) from the evidence that goes into the stored result. */
export function splitBinaries(evidence: RunEvidence): { evidence: RunEvidence; binaries: RunBinaries } {
  const { stepShots, traceBase64, ...rest } = evidence;
  return {
    evidence: rest,
    binaries: { ...(stepShots?.length ? { stepShots } : {}), ...(traceBase64 ? { traceBase64 } : {}) },
  };
}

/**
 * Saves the run's record and files (one round trip). Never throws: failures are logged as warnings
 * naming the test and run.
 */
export async function keepRunRecord(
  deps: KeepRunRecordDeps,
  repo: string,
  result: RunResult,
  binaries: RunBinaries = {},
): Promise<void> {
  if (!deps.runs) return;
  try {
    const { files, dropped } = filesToKeep({ status: result.status, evidence: binaries });
    if (dropped.length > 0)
      deps.logger.warn(
        `${result.testId} run ${result.runId}: not kept, over the size cap: ${dropped.join(', ')}`,
      );
    await deps.runs.saveRun(repo, toRunRecord(result, files), files);
  } catch (error) {
    deps.logger.warn(
      `${result.testId} run ${result.runId}: the run page's record was not kept (${(error as Error).message}); the result itself is recorded`,
    );
  }
}
