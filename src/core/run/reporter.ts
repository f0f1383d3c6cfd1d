/** Progress of a run, as the runner reports it (src/app/run-tests.ts) and the renderers read it. */
import type { RunEvent, RunResult, TestDefinition } from '../types.js';

/** Receives progress; every method is optional. Called synchronously, so keep it cheap. */
export interface RunReporter {
  started?(tests: TestDefinition[]): void;
  testStarted?(test: TestDefinition, attempt: number): void;
  /** `runId` is the attempt's run id (the result's, for the attempt that counts). */
  event?(test: TestDefinition, event: RunEvent, runId?: string): void;
  testFinished?(test: TestDefinition, result: RunResult): void;
}
