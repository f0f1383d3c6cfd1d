/**
 * The domain model shared by every part of HouseCat. Everything here is plain data:
 * it crosses process boundaries (Redis, QStash, JSON reports), so no classes and no functions.
 */
import type { NotifyEvent } from './notify/message.js';

/** Which agent runs a test: Claude driving Chromium, the hosted TinyFish agent, or deterministic checks only. */
export type AgentKind = 'claude' | 'tinyfish' | 'checks';

/** Deterministic expectations checked without any AI. */
export interface Expectations {
  /** HTTP status the page's main document must answer with. */
  status?: number;
  /** Strings that must all be present in the page's visible text. */
  text?: string[];
  /** Maximum milliseconds for the main document to load. */
  maxMs?: number;
}

/**
 * One test after defaults were applied: the unit that is stored, scheduled and run.
 * Field names are camelCase here and snake_case in `housecat.yml`.
 */
export interface TestDefinition {
  /** Globally unique, URL-safe id: `{owner}--{repo}--{slug}` (see core/ids.ts). */
  id: string;
  /** The test's slug inside its repository (its `id` field, or the slug of its name). */
  slug: string;
  /** `owner/name` of the repository whose housecat.yml defines the test. */
  repo: string;
  name: string;
  url: string;
  goal?: string;
  /** 5-field cron (UTC). No schedule: the test runs only as a PR check or by hand. */
  schedule?: string;
  /**
   * The second of its minute a scheduled run is due (1-59), when the minute field was written with
   * `H`: hashed from the id like `H` itself, so tests spread within the minute as well as over the
   * period. QStash delivers it with that delay; lateness and the watchdog count from it. Absent: 0.
   */
  scheduleSecond?: number;
  /** Seconds one run may take. */
  timeout: number;
  /** Immediate re-runs of an errored run before its result counts. */
  retries: number;
  failureThreshold: number;
  recoveryThreshold: number;
  agent: AgentKind;
  /** Anthropic model for the claude agent; unset: HOUSECAT_MODEL or the built-in default. */
  model?: string;
  /** Maximum agent steps (tool calls) per run. */
  maxSteps: number;
  /**
   * `on-failure`: record a Playwright trace and keep it for failed and inconclusive runs (issue
   * 29). Absent means off; only `on-failure` is written, so tests that leave it out keep their hash.
   */
  trace?: 'on-failure';
  /** Hosts the browser may reach besides the URL's own host. */
  allowedHosts: string[];
  /** Names of environment variables whose values the agent may type; the model sees only names. */
  secrets: string[];
  expect?: Expectations;
  /**
   * Replay the script of the last passing agent run before calling the model (issue 14). Absent
   * means true; only `false` is written, so tests that leave it out keep their content hash.
   */
  replay?: boolean;
  /**
   * Maintenance windows (the file's top-level ones, then the test's own): scheduled runs inside one
   * are recorded `skipped` and move no incident. PR checks and manual runs ignore them.
   */
  maintenance?: MaintenanceWindow[];
  /**
   * Alert channels (`notify:`), by name; the app's environment says what each is
   * (`HOUSECAT_NOTIFY_<NAME>`, core/notify/channels.ts). Absent: none; only set when given, so
   * tests without it keep their content hash.
   */
  notify?: string[];
  /** Incident events the channels are told about (`notify_on:`); absent: DEFAULT_NOTIFY_ON. */
  notifyOn?: NotifyEvent[];
}

/** A recurring window: it opens at each tick of `schedule` (5-field cron, UTC) and lasts `durationMs`. */
export interface MaintenanceWindow {
  schedule: string;
  durationMs: number;
}

/** Outcome of one run. `error` means inconclusive: it never counts as the site passing or failing. */
export type RunStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** Every run status, in the order counts are read out (`3 passed, 1 failed`). */
export const RUN_STATUSES: readonly RunStatus[] = ['passed', 'failed', 'error', 'skipped'];

/** One step the agent or the checks took. */
export interface StepRecord {
  /** e.g. `navigate`, `click`, `type`, `check:status`, `blocked`, `verdict`. */
  action: string;
  target?: string;
  /** What happened, in words a person understands. */
  outcome: string;
  ok: boolean;
  /** Epoch ms when the step finished. */
  at: number;
  /** Milliseconds the step took. */
  ms?: number;
}

/** Where a run came from, so PR runs and scheduled runs can be told apart in the store. */
export interface RunSource {
  /**
   * `schedule`: a QStash delivery; `manual`: `/housecat run` on an incident issue; `pull_request`:
   * the Action on a pull request; `ci`: the Action on any other event (push, deployment_status);
   * `cli`: `housecat run`. Only `schedule` and `manual` move incident state.
   */
  kind: 'schedule' | 'pull_request' | 'cli' | 'manual' | 'ci';
  branch?: string;
  commit?: string;
  pr?: number;
}

export interface RunUsage {
  llmCalls: number;
  /** All input tokens, the prompt cache's writes and reads included. */
  inputTokens: number;
  /** Output tokens, thinking included (billed as output). */
  outputTokens: number;
  /** Of `inputTokens`, those written to the prompt cache (priced at 1.25× input). */
  cacheWriteTokens?: number;
  /** Of `inputTokens`, those read from the prompt cache (priced at a fraction of input). */
  cacheReadTokens?: number;
  /** Estimated cost in US dollars from the price table in core/usage/prices.ts (unknown model: absent). */
  costUsd?: number;
}

/**
 * How a goal test's verdict was reached: `agent` (the model drove the browser), `replay` (the
 * recorded script ran without a model and its evidence held on the live page), `healed` (the replay
 * diverged, the model ran and passed, and its script replaced the old one).
 */
export type RunMode = 'agent' | 'replay' | 'healed';

export interface RunEvidence {
  finalUrl?: string;
  /** A short excerpt of the final page's text. */
  excerpt?: string;
  /** PNG screenshot (failure or error only), base64. Never in a stored result; the app keeps a failure's in `shot:{id}`. */
  screenshotBase64?: string;
  /**
   * Failed and inconclusive runs: JPEG views of the page at the failed step and the two steps
   * before it, oldest first. Binary, never in a stored result: kept apart, capped (issue 29).
   */
  stepShots?: StepShot[];
  /** `trace: on-failure`, failed and inconclusive runs: the Playwright trace.zip (secrets scrubbed), base64. */
  traceBase64?: string;
}

/** What the page looked like after one step (a compressed JPEG of the viewport). */
export interface StepShot {
  /** Index of the step in `RunResult.steps` the view was taken after (-1: before any step). */
  step: number;
  /** The step in words (`click Add to cart`). */
  label: string;
  /** Epoch ms the view was taken. */
  at: number;
  jpegBase64: string;
}

/** The full result of one run of one test. */
export interface RunResult {
  runId: string;
  testId: string;
  status: RunStatus;
  reason: string;
  agent: AgentKind;
  /** Epoch ms the run started. */
  startedAt: number;
  durationMs: number;
  /** Response time of the test URL's main document, when measured. */
  responseMs?: number;
  steps: StepRecord[];
  evidence: RunEvidence;
  usage: RunUsage;
  source?: RunSource;
  /** Which attempt this was (1 = first), when retries ran. */
  attempt?: number;
  /** How the verdict was reached (goal tests of the claude agent); absent for checks-only runs. */
  mode?: RunMode;
  /**
   * What a passing claude run did, for the replay store (never reported, never stored with the
   * result). Secret values never appear in it: typed secrets are kept by name.
   */
  recording?: ReplayRecording;
  /**
   * Scheduled runs: the cron tick the delivery belongs to (the latest tick at or before the
   * message's first arrival, epoch ms UTC), so a retried delivery keeps its original tick.
   */
  tick?: number;
  /** Scheduled runs: milliseconds from `tick` to this delivery's arrival. */
  latenessMs?: number;
}

/** One locator of a recorded step, the most robust one that was unique when it was recorded. */
export type ReplayLocator =
  | { by: 'role'; role: string; name: string }
  | { by: 'label'; label: string }
  | { by: 'placeholder'; placeholder: string }
  | { by: 'text'; text: string }
  | { by: 'css'; css: string };

/** One recorded action. `url` is where the page was after it (secret values redacted). */
export type ReplayStep =
  | { action: 'navigate'; url: string; after: string }
  | { action: 'click'; target: ReplayLocator; after: string }
  | { action: 'type'; target: ReplayLocator; text: string; submit?: boolean; after: string }
  | { action: 'type_secret'; target: ReplayLocator; secret: string; submit?: boolean; after: string }
  | { action: 'select'; target: ReplayLocator; option: string; after: string }
  | { action: 'press_key'; key: string; target?: ReplayLocator; after: string }
  | { action: 'wait_for_text'; text: string; after: string };

/** The actions and the verified evidence of one passing agent run. */
export interface ReplayRecording {
  model: string;
  steps: ReplayStep[];
  /** The verdict's evidence, checked on the live page at the end of every replay. */
  evidence: { textVisible: string[]; urlContains?: string };
}

/** A progress event of a run: streamed to the terminal and to the `events:{id}` stream. */
export interface RunEvent {
  type: 'step' | 'pass' | 'fail' | 'error';
  message: string;
  /** Epoch ms. */
  at: number;
}

/** The state of one test's incident (one open GitHub issue). */
export interface Incident {
  testId: string;
  repo: string;
  status: 'open' | 'acknowledged' | 'resolved';
  /** GitHub issue number, once created. */
  issueNumber?: number;
  /** Epoch ms of the first failed run of the streak that opened it. */
  since: number;
  openedAt: number;
  lastFailureAt: number;
  lastReason: string;
  failedRuns: number;
  resolvedAt?: number;
  /** Why GitHub refused this incident's issue work for good (the outbox gave the item up). */
  githubError?: string;
  /**
   * `missed`: opened by the watchdog because the scheduled runs stopped coming (no failed run
   * behind it); the next run closes it. Unset: opened by failing runs.
   */
  kind?: 'missed';
}
