/**
 * What the run page shows of one recorded run (issue 29): the stored result says how a run ended,
 * this says what it did, step by step, and which files (step screenshots, a Playwright trace) are
 * kept beside it. The files are binary and large, so they are stored apart, capped per test and per
 * repository, and expire sooner than the record (see RUN_FILE_LIMITS).
 */
import type { RunEvidence, RunResult, StepRecord, StepShot } from '../types.js';

/** How long records and files are kept, and how much of them. Documented in the README's data model. */
export const RUN_FILE_LIMITS = {
  /** Run records kept per test (newest first), each for {@link RUN_FILE_LIMITS.recordTtlMs}. */
  recordsPerTest: 500,
  recordTtlMs: 14 * 86_400_000,
  /** Screenshots and traces expire after 7 days. */
  fileTtlMs: 7 * 86_400_000,
  /** Bytes of files (base64 as stored) one test keeps; the oldest runs' files go first. */
  perTestBytes: 3 * 1024 * 1024,
  /** Bytes of files one repository keeps, across its tests. */
  perRepoBytes: 20 * 1024 * 1024,
  /** One screenshot larger than this (base64) is not kept. */
  shotBytes: 200 * 1024,
  /** A trace larger than this (base64) is not kept by the app (the Action uploads it anyway). */
  traceBytes: 1024 * 1024,
  /** Steps and characters kept in a record. */
  steps: 80,
  outcomeChars: 600,
} as const;

/** A kept screenshot's place in the record (its bytes are in the run's files). */
export interface RunShotRef {
  step: number;
  label: string;
  at: number;
}

/** One run as the run page shows it; JSON in `run:{id}:{runId}`. */
export interface RunRecord {
  runId: string;
  testId: string;
  status: RunResult['status'];
  reason: string;
  agent: RunResult['agent'];
  mode?: RunResult['mode'];
  startedAt: number;
  durationMs: number;
  responseMs?: number;
  source?: RunResult['source'];
  attempt?: number;
  tick?: number;
  latenessMs?: number;
  steps: StepRecord[];
  /** Steps left out past {@link RUN_FILE_LIMITS.steps}. */
  stepsOmitted?: number;
  evidence: Pick<RunEvidence, 'finalUrl' | 'excerpt'>;
  usage: RunResult['usage'];
  /** The screenshots kept with the run (empty when none were taken or they were over the caps). */
  shots: RunShotRef[];
  /** True when a trace.zip is kept with the run. */
  trace: boolean;
}

/** The files of one run, base64, as the store keeps them. */
export interface RunFiles {
  shots: StepShot[];
  traceBase64?: string;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * The record of a result whose evidence has already been redacted (the runner does that), with
 * the files that will be kept beside it. Pure: the same result gives the same record.
 */
export function toRunRecord(result: RunResult, files: RunFiles): RunRecord {
  const max = RUN_FILE_LIMITS.steps;
  // The end of a run says why it ended: keep the first and the last steps, drop the middle.
  const steps =
    result.steps.length > max
      ? [...result.steps.slice(0, max / 2), ...result.steps.slice(-max / 2)]
      : result.steps;
  const record: RunRecord = {
    runId: result.runId,
    testId: result.testId,
    status: result.status,
    reason: clip(result.reason, 2000),
    agent: result.agent,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    steps: steps.map((s) => ({ ...s, outcome: clip(s.outcome, RUN_FILE_LIMITS.outcomeChars) })),
    evidence: {
      ...(result.evidence.finalUrl ? { finalUrl: clip(result.evidence.finalUrl, 500) } : {}),
      ...(result.evidence.excerpt ? { excerpt: clip(result.evidence.excerpt, 1000) } : {}),
    },
    usage: result.usage,
    shots: files.shots.map(({ step, label, at }) => ({ step, label, at })),
    trace: files.traceBase64 !== undefined,
  };
  if (result.steps.length > max) record.stepsOmitted = result.steps.length - max;
  for (const key of ['mode', 'responseMs', 'source', 'attempt', 'tick', 'latenessMs'] as const) {
    if (result[key] !== undefined) (record as unknown as Record<string, unknown>)[key] = result[key];
  }
  return record;
}

/**
 * The files worth keeping for a result: screenshots and a trace only for failed and inconclusive
 * runs, each within its own size cap. Returns what was left out, for the log.
 */
export function filesToKeep(result: Pick<RunResult, 'status' | 'evidence'>): {
  files: RunFiles;
  dropped: string[];
} {
  const dropped: string[] = [];
  if (result.status !== 'failed' && result.status !== 'error') return { files: { shots: [] }, dropped };
  const shots = (result.evidence.stepShots ?? []).filter((s) => {
    if (s.jpegBase64.length <= RUN_FILE_LIMITS.shotBytes) return true;
    dropped.push(`screenshot after "${s.label}" (${Math.round(s.jpegBase64.length / 1024)} KB)`);
    return false;
  });
  const trace = result.evidence.traceBase64;
  if (trace && trace.length > RUN_FILE_LIMITS.traceBytes) {
    dropped.push(
      `trace (${Math.round(trace.length / 1024)} KB, the cap is ${RUN_FILE_LIMITS.traceBytes / 1024} KB)`,
    );
    return { files: { shots }, dropped };
  }
  return { files: { shots, ...(trace ? { traceBase64: trace } : {}) }, dropped };
}

/** Keeps run records and their files (Redis: adapters/store/run-store.ts). */
export interface RunRecordStore {
  /**
   * Saves the record and its files in one round trip, then trims the test's and the repository's
   * files to their caps (oldest first). Resolves to the bytes of files the test keeps afterwards.
   */
  saveRun(
    repo: string,
    record: RunRecord,
    files: RunFiles,
  ): Promise<{ testBytes: number; repoBytes: number }>;
  getRun(testId: string, runId: string): Promise<RunRecord | null>;
  /** A kept screenshot (JPEG, base64) by its index in `record.shots`, or null. */
  getShot(testId: string, runId: string, index: number): Promise<string | null>;
  /** The kept trace.zip (base64), or null. */
  getTrace(testId: string, runId: string): Promise<string | null>;
}
