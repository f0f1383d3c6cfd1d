/**
 * The JSON report (`--json PATH`, the Action's `results` output). Its shape is documented in
 * docs/run.md and versioned: fields are only ever added.
 */
import type {
  RunMode,
  RunResult,
  RunSource,
  RunStatus,
  RunUsage,
  StepRecord,
  TestDefinition,
} from '../types.js';
import { countsOf } from './counts.js';
import { blockedSteps, describeStep, failedStep, formatRunDuration, nameOf } from './format.js';
import { totalUsage } from './usage.js';

export interface JsonReportResult {
  id: string;
  name: string;
  url?: string;
  status: RunStatus;
  reason: string;
  agent: RunResult['agent'];
  /** Milliseconds the run took. */
  durationMs: number;
  /** The same, for people: `1.2 s`. */
  duration: string;
  startedAt: string;
  attempt: number;
  responseMs?: number;
  /** `action target: outcome` of the first step that went wrong (failed and error only). */
  failedStep?: string;
  /** Requests the host policy refused (`blocked: URL (reason)`), apart from the failed step. */
  blocked?: string[];
  steps: StepRecord[];
  finalUrl?: string;
  runId: string;
  /** How a goal test's verdict was reached: `agent`, `replay` (no model) or `healed`. */
  mode?: RunMode;
  /** LLM calls, tokens and the estimated cost in USD (core/usage/prices.ts). */
  usage: RunUsage;
}

export interface JsonReport {
  version: 1;
  tool: 'housecat';
  startedAt: string;
  durationMs: number;
  baseUrl?: string;
  source?: RunSource;
  summary: { total: number } & Record<RunStatus, number>;
  /** The run's LLM calls, tokens and estimated USD, summed over every test. */
  usage: ReturnType<typeof totalUsage>;
  results: JsonReportResult[];
}

export function toJsonReport(
  results: RunResult[],
  tests: TestDefinition[],
  meta: { startedAt: number; durationMs: number; baseUrl?: string; source?: RunSource },
): JsonReport {
  const name = nameOf(tests);
  const urls = new Map(tests.map((t) => [t.id, t.url]));
  return {
    version: 1,
    tool: 'housecat',
    startedAt: new Date(meta.startedAt).toISOString(),
    durationMs: meta.durationMs,
    ...(meta.baseUrl ? { baseUrl: meta.baseUrl } : {}),
    ...(meta.source ? { source: meta.source } : {}),
    summary: { total: results.length, ...countsOf(results) },
    usage: totalUsage(results),
    results: results.map((r) => {
      const step = failedStep(r);
      const url = urls.get(r.testId);
      return {
        id: r.testId,
        name: name(r.testId),
        ...(url ? { url } : {}),
        status: r.status,
        reason: r.reason,
        agent: r.agent,
        durationMs: r.durationMs,
        duration: formatRunDuration(r.durationMs),
        startedAt: new Date(r.startedAt).toISOString(),
        attempt: r.attempt ?? 1,
        ...(r.responseMs !== undefined ? { responseMs: r.responseMs } : {}),
        ...(step ? { failedStep: describeStep(step) } : {}),
        ...(blockedSteps(r).length > 0 ? { blocked: blockedSteps(r) } : {}),
        steps: r.steps,
        ...(r.evidence.finalUrl ? { finalUrl: r.evidence.finalUrl } : {}),
        runId: r.runId,
        ...(r.mode ? { mode: r.mode } : {}),
        usage: r.usage,
      };
    }),
  };
}
