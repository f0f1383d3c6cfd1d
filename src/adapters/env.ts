/**
 * The one place HouseCat's settings are picked out of the environment. Entry points hand
 * `process.env` to {@link readEnv} (and {@link readSecrets}) once and pass the typed result down.
 * Besides the entry points handing it over, the only reader of `process.env` is findChromium's
 * default for PATH: the system's search path for a browser, not a HouseCat setting.
 */
import { availableParallelism, freemem } from 'node:os';
import { ConfigError } from '../core/errors.js';
import { type ChannelSpec, readChannels } from '../core/notify/channels.js';
import { DEFAULT_WATCHDOG_MINUTES, watchdogMinutesProblem } from '../core/scheduling/watchdog.js';
import { DEFAULT_FLOW_PARALLELISM } from '../core/sync/plan.js';
import { parseEffortSetting, parseThinkingSetting } from './agent/claude/thinking.js';

/** Every environment variable HouseCat understands. Values are strings as given, or undefined. */
export interface HouseCatEnv {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  REDIS_URL?: string;
  HOUSECAT_REDIS_PREFIX?: string;
  HOUSECAT_RETENTION_DAYS?: string;
  QSTASH_URL?: string;
  QSTASH_TOKEN?: string;
  QSTASH_CURRENT_SIGNING_KEY?: string;
  QSTASH_NEXT_SIGNING_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  HOUSECAT_MODEL?: string;
  /** Thinking of the claude agent: auto (default), between_tools, adaptive, disabled or default. */
  HOUSECAT_THINKING?: string;
  /** Effort of the claude agent's model (low … max); unset: the model's default. */
  HOUSECAT_EFFORT?: string;
  TINYFISH_API_KEY?: string;
  TINYFISH_URL?: string;
  HOUSECAT_CHROMIUM?: string;
  HOUSECAT_ALLOW_PRIVATE_NETWORK?: string;
  HOUSECAT_PUBLIC_URL?: string;
  HOUSECAT_MAX_PARALLEL_RUNS?: string;
  HOUSECAT_REPLICAS?: string;
  HOUSECAT_WATCHDOG_MINUTES?: string;
  GITHUB_REPOSITORY?: string;
  GITHUB_TOKEN?: string;
  GITHUB_API_URL?: string;
  APP_ID?: string;
  PRIVATE_KEY?: string;
  PRIVATE_KEY_PATH?: string;
  WEBHOOK_SECRET?: string;
  PORT?: string;
  GHE_HOST?: string;
  GHE_PROTOCOL?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  HOUSECAT_SESSION_SECRET?: string;
  HOUSECAT_MAX_CONNECTIONS?: string;
  HOUSECAT_SHUTDOWN_GRACE?: string;
  HOUSECAT_METRICS_TOKEN?: string;
  /** `housecat serve`'s log level: fatal, error, warn, info (default), debug, trace or silent. */
  LOG_LEVEL?: string;
  /** `housecat serve`'s log format: json or pretty (default: pretty on a terminal, else json). */
  LOG_FORMAT?: string;
  /** Test knob of `housecat up`: every scheduled test ticks each N ms instead of on its cron. */
  HOUSECAT_UP_TICK_MS?: string;
  /** Milliseconds the checks agent waits for expected text that scripts add after load (default 5000). */
  HOUSECAT_TEXT_WAIT_MS?: string;
  /** Milliseconds a replayed step waits for its element to appear (default 5000). */
  HOUSECAT_ELEMENT_WAIT_MS?: string;
}

const KEYS: (keyof HouseCatEnv)[] = [
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'REDIS_URL',
  'HOUSECAT_REDIS_PREFIX',
  'HOUSECAT_RETENTION_DAYS',
  'QSTASH_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'HOUSECAT_MODEL',
  'HOUSECAT_THINKING',
  'HOUSECAT_EFFORT',
  'TINYFISH_API_KEY',
  'TINYFISH_URL',
  'HOUSECAT_CHROMIUM',
  'HOUSECAT_ALLOW_PRIVATE_NETWORK',
  'HOUSECAT_PUBLIC_URL',
  'HOUSECAT_MAX_PARALLEL_RUNS',
  'HOUSECAT_REPLICAS',
  'HOUSECAT_WATCHDOG_MINUTES',
  'GITHUB_REPOSITORY',
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'APP_ID',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PATH',
  'WEBHOOK_SECRET',
  'PORT',
  'GHE_HOST',
  'GHE_PROTOCOL',
  'GITHUB_CLIENT_ID',
  'GITHUB_CLIENT_SECRET',
  'HOUSECAT_SESSION_SECRET',
  'HOUSECAT_MAX_CONNECTIONS',
  'HOUSECAT_SHUTDOWN_GRACE',
  'HOUSECAT_METRICS_TOKEN',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'HOUSECAT_UP_TICK_MS',
  'HOUSECAT_TEXT_WAIT_MS',
  'HOUSECAT_ELEMENT_WAIT_MS',
];

/** Picks HouseCat's variables out of an environment (default `process.env`); blank values count as unset. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): HouseCatEnv {
  const env: HouseCatEnv = {};
  for (const key of KEYS) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') env[key] = value.trim();
  }
  // A switch read wrongly fails open or closed without a word: refuse what it does not understand.
  if (env.HOUSECAT_ALLOW_PRIVATE_NETWORK !== undefined) switchValue(env.HOUSECAT_ALLOW_PRIVATE_NETWORK);
  if (env.HOUSECAT_MAX_PARALLEL_RUNS !== undefined) parallelRunsValue(env.HOUSECAT_MAX_PARALLEL_RUNS);
  parseThinkingSetting(env.HOUSECAT_THINKING);
  parseEffortSetting(env.HOUSECAT_EFFORT);
  if (env.HOUSECAT_REPLICAS !== undefined) replicasValue(env.HOUSECAT_REPLICAS);
  if (env.HOUSECAT_SHUTDOWN_GRACE !== undefined) shutdownGraceMs(env);
  if (env.HOUSECAT_WATCHDOG_MINUTES !== undefined)
    watchdogMinutesValue(env.HOUSECAT_WATCHDOG_MINUTES, 'HOUSECAT_WATCHDOG_MINUTES');
  waitMs(env, 'HOUSECAT_TEXT_WAIT_MS');
  waitMs(env, 'HOUSECAT_ELEMENT_WAIT_MS');
  return env;
}

const ON_WORDS = new Set(['1', 'true', 'yes', 'on']);
const OFF_WORDS = new Set(['0', 'false', 'no', 'off']);

/** Reads an on/off variable: 1/true/yes/on or 0/false/no/off, any case; anything else is a ConfigError. */
function switchValue(raw: string, name = 'HOUSECAT_ALLOW_PRIVATE_NETWORK'): boolean {
  const word = raw.trim().toLowerCase();
  if (ON_WORDS.has(word)) return true;
  if (OFF_WORDS.has(word)) return false;
  throw new ConfigError(
    `${name} is "${raw}": set it to 1 (or true, yes, on) to allow it, or 0 (false, no, off) or unset it to refuse`,
  );
}

/** True when private-network targets are allowed (local development and the test suite only). */
export function allowPrivateNetwork(env: HouseCatEnv): boolean {
  const raw = env.HOUSECAT_ALLOW_PRIVATE_NETWORK;
  return raw !== undefined && switchValue(raw);
}

/**
 * Memory budgeted per run: one Chromium context on a real page (scripts, images, fonts) takes
 * 100–300 MB; a context on a small local page measured 70–85 MiB of PSS (docs/bot.md, "Capacity and
 * timeouts"; BENCHMARKS.md's `housecat run` agrees), so 250 MiB leaves room for real sites.
 */
export const MEMORY_PER_RUN_BYTES = 250 * 1024 * 1024;
/**
 * Runs per core: what the machine sustains. Measured on 2 cores (issue 25, BENCHMARKS.md
 * "Capacity"): checks runs finished at 194–204 a minute with 1 in flight and 149–180 with 4, as
 * queued runs slowed each other down; browser runs the same. Past the bound QStash holds the rest.
 */
export const RUNS_PER_CORE = 1;

/** What the machine offers, for the default bound; tests pass their own. */
export interface MachineFacts {
  cores: number;
  /** Memory available to new processes now (Linux: MemAvailable; a container limit when lower). */
  freeBytes: number;
}

/** Cores and free memory of this machine, counting a container's memory limit when it is lower. */
export function machineFacts(): MachineFacts {
  const limit = process.constrainedMemory?.() ?? 0;
  const free = freemem();
  const freeBytes = limit > 0 ? Math.min(free, Math.max(0, limit - process.memoryUsage().rss)) : free;
  return { cores: availableParallelism(), freeBytes };
}

/**
 * The default bound on concurrent runs per process: min(cores, free memory / 250 MiB), at least 1.
 * A 2-core machine with 4 GB free runs 2 at once; with 400 MB free, 1.
 */
export function defaultMaxParallelRuns(machine: MachineFacts): number {
  const byCores = Math.max(1, Math.floor(machine.cores)) * RUNS_PER_CORE;
  const byMemory = Math.floor(machine.freeBytes / MEMORY_PER_RUN_BYTES);
  return Math.max(1, Math.min(byCores, byMemory));
}

function parallelRunsValue(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(
      `HOUSECAT_MAX_PARALLEL_RUNS is "${raw}": set it to a whole number of runs of at least 1 (e.g. 4), or unset it for min(cores, free memory / 250 MiB)`,
    );
  }
  return n;
}

/**
 * How many scheduled runs one app process runs at once (HOUSECAT_MAX_PARALLEL_RUNS, else
 * {@link defaultMaxParallelRuns} of this machine), and where the number came from, for the start-up log.
 */
export function maxParallelRuns(
  env: HouseCatEnv,
  machine: () => MachineFacts = machineFacts,
): { runs: number; source: string } {
  if (env.HOUSECAT_MAX_PARALLEL_RUNS !== undefined) {
    return { runs: parallelRunsValue(env.HOUSECAT_MAX_PARALLEL_RUNS), source: 'HOUSECAT_MAX_PARALLEL_RUNS' };
  }
  const facts = machine();
  const mb = Math.round(facts.freeBytes / 1024 / 1024);
  return {
    runs: defaultMaxParallelRuns(facts),
    source: `default: min(${facts.cores} cores × ${RUNS_PER_CORE}, ${mb} MiB free / 250 MiB)`,
  };
}

function replicasValue(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(
      `HOUSECAT_REPLICAS is "${raw}": set it to the number of \`housecat serve\` processes behind the app's URL (a whole number of at least 1), or unset it for 1`,
    );
  }
  return n;
}

/** The app's total run slots, as `sync` gives them to QStash's flow control, and how they were counted. */
export interface FlowParallelism {
  total: number;
  /** "4 runs per process (HOUSECAT_MAX_PARALLEL_RUNS) × 2 replicas (HOUSECAT_REPLICAS)" */
  source: string;
}

/**
 * QStash flow-control parallelism for `sync`: the app's total run slots, HOUSECAT_MAX_PARALLEL_RUNS
 * (per process, the app's own value; default DEFAULT_FLOW_PARALLELISM) × HOUSECAT_REPLICAS (default
 * 1). Sync runs in CI, not on the app's machine, so this machine's cores say nothing about the app's:
 * the per-process default is the documented one, never this machine's.
 */
export function flowParallelism(env: HouseCatEnv): FlowParallelism {
  const given = env.HOUSECAT_MAX_PARALLEL_RUNS;
  const perProcess = given === undefined ? DEFAULT_FLOW_PARALLELISM : parallelRunsValue(given);
  const replicas = env.HOUSECAT_REPLICAS === undefined ? 1 : replicasValue(env.HOUSECAT_REPLICAS);
  const runs =
    given === undefined
      ? `default ${perProcess} runs per process`
      : `${perProcess} runs per process (HOUSECAT_MAX_PARALLEL_RUNS)`;
  const count =
    env.HOUSECAT_REPLICAS === undefined ? '1 replica' : `${replicas} replicas (HOUSECAT_REPLICAS)`;
  return { total: perProcess * replicas, source: `${runs} × ${count}` };
}

/**
 * A wait in milliseconds set in the environment (HOUSECAT_TEXT_WAIT_MS, HOUSECAT_ELEMENT_WAIT_MS),
 * or undefined when unset so the caller keeps its default.
 * @throws ConfigError when the value is not a whole number of milliseconds.
 */
export function waitMs(
  env: HouseCatEnv,
  name: 'HOUSECAT_TEXT_WAIT_MS' | 'HOUSECAT_ELEMENT_WAIT_MS',
): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new ConfigError(
      `${name} is "${raw}": set it to a whole number of milliseconds (e.g. 5000), or unset it for the default of 5000`,
    );
  }
  return n;
}

/** Parses a watchdog cadence in minutes; `source` names the setting in the error. */
export function watchdogMinutesValue(raw: string, source: string): number {
  const n = Number(raw.trim());
  const problem = /^\d+$/.test(raw.trim()) ? watchdogMinutesProblem(n) : 'use a whole number of minutes';
  if (problem) throw new ConfigError(`${source} is "${raw}": ${problem}`);
  return n;
}

/** The watchdog's cadence for `sync`: `input` (the Action's `watchdog-minutes`) first, then the environment. */
export function watchdogMinutes(env: HouseCatEnv, input?: string): number {
  if (input) return watchdogMinutesValue(input, 'input "watchdog-minutes"');
  if (env.HOUSECAT_WATCHDOG_MINUTES !== undefined)
    return watchdogMinutesValue(env.HOUSECAT_WATCHDOG_MINUTES, 'HOUSECAT_WATCHDOG_MINUTES');
  return DEFAULT_WATCHDOG_MINUTES;
}

/**
 * Reads the values of a test's `secrets:` names. Missing names are returned separately so the
 * caller can report which variable to set; values never leave the returned object.
 */
export function readSecrets(
  names: readonly string[],
  source: NodeJS.ProcessEnv = process.env,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === '') missing.push(name);
    else values[name] = value;
  }
  return { values, missing };
}

/**
 * HOUSECAT_MAX_CONNECTIONS: open HTTP connections the app accepts at once (further ones are closed
 * at once); undefined for the default (src/web/server-limits.ts). Throws ConfigError when not a
 * positive integer.
 */
export function maxConnections(env: HouseCatEnv): number | undefined {
  const raw = env.HOUSECAT_MAX_CONNECTIONS;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ConfigError(
      `HOUSECAT_MAX_CONNECTIONS is "${raw}": it must be a whole number of connections, e.g. 1000`,
    );
  }
  return n;
}

/** Seconds `serve` lets runs in flight finish after SIGTERM, by default: under Kubernetes' 30 s. */
export const DEFAULT_SHUTDOWN_GRACE_S = 25;

/**
 * HOUSECAT_SHUTDOWN_GRACE, in ms: how long `serve` lets runs in flight finish after SIGTERM or
 * Ctrl-C before it cuts them (default 25 s). Throws ConfigError when not a number of seconds ≥ 0.
 */
export function shutdownGraceMs(env: HouseCatEnv): number {
  const raw = env.HOUSECAT_SHUTDOWN_GRACE;
  if (raw === undefined) return DEFAULT_SHUTDOWN_GRACE_S * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 3600) {
    throw new ConfigError(
      `HOUSECAT_SHUTDOWN_GRACE is "${raw}": it must be seconds between 0 and 3600, e.g. 25 (keep it under your platform's kill timeout: Kubernetes' terminationGracePeriodSeconds is 30, Docker's stop timeout 10)`,
    );
  }
  return Math.round(n * 1000);
}

/**
 * The alert channels of the environment (`HOUSECAT_NOTIFY_<NAME>` and `…_SECRET`: their names vary,
 * so they are read here apart from {@link HouseCatEnv}). Throws a ConfigError listing every channel
 * variable it cannot read, each by name, never with its value.
 */
export function readNotifyChannels(environ: Record<string, string | undefined>): ChannelSpec[] {
  const { channels, problems } = readChannels(environ);
  if (problems.length > 0) {
    throw new ConfigError(
      `alert channels: ${problems.length} setting(s) to fix:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return channels;
}
