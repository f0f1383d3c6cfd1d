/**
 * What the app counts for operators, said where it happens (a use case's outcome), not re-read from
 * Redis at each scrape. The Prometheus adapter (src/adapters/metrics/) implements it; without one,
 * nothing is counted.
 */
import type { RunResult } from './types.js';

export interface RunMetrics {
  /** A run's result was recorded (`mode`: what asked for it: schedule, manual, …). */
  runRecorded(result: RunResult, mode: string): void;
  /** A run was refused because the test's run, or every run slot, was busy (the caller retries). */
  busy(reason: 'test-running' | 'slots-full'): void;
}
