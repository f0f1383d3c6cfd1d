/**
 * Run tests — the use case behind `housecat run`, the Action's `run` mode and the PR check: select
 * the tests, apply the preview base URL, decide once what the environment allows (skipped AI parts,
 * or one ConfigError listing every problem before anything starts), run, and, for a pull request,
 * read the base branch's last results for the comparison. The caller builds the adapters
 * (adapters/compose.ts) and closes them.
 */
import type { Agent, Logger, Store, StoredResult } from '../core/ports.js';
import { applyBaseUrl, parseBaseUrl } from '../core/run/base-url.js';
import { DEFAULT_CONCURRENCY } from '../core/run/defaults.js';
import {
  checkEnvironment,
  type EnvironmentFacts,
  requireEnvironment,
} from '../core/run/environment-check.js';
import type { RunReporter } from '../core/run/reporter.js';
import { selectTests } from '../core/run/select.js';
import type { RunSource, TestDefinition } from '../core/types.js';
import { readBaseline } from './compare-base.js';
import { type RunOutcome, runTests } from './run-tests.js';

export interface RunSuiteDeps {
  agent: Agent;
  /** Where results go (history and the base-branch comparison); null: nothing is recorded. */
  store: Store | null;
  logger?: Logger;
}

export interface RunSuiteInput {
  tests: TestDefinition[];
  only?: string[];
  /** Where `only` came from, for the error message (`--only`, `input only`). */
  onlyLabel?: string;
  baseUrl?: string;
  baseUrlLabel?: string;
  concurrency?: number;
  source: RunSource;
  /** What the environment offers (keys, private network, Chromium, fork, explicit skip). */
  environment: EnvironmentFacts;
  /** Secret values by name (each test gets only the names it lists). */
  secrets?: Record<string, string>;
  reporter?: RunReporter;
  signal?: AbortSignal;
  /** Compare with the last run of each test on this branch (a pull request's base branch). */
  baseBranch?: string;
  /** `false`: run the agent even where a replay script exists. */
  replay?: boolean;
}

export interface RunSuiteResult {
  outcome: RunOutcome;
  /** The tests as they ran (base URL applied). */
  tests: TestDefinition[];
  startedAt: number;
  baseUrl?: string;
  storeConfigured: boolean;
  /** Tests whose AI part was skipped, with the reason. */
  skippedAi: ReadonlyMap<string, string>;
  /** The base branch's last result per test; undefined when there is nothing to compare with. */
  baseline?: Map<string, StoredResult | undefined>;
}

/**
 * Runs the selected tests. Throws ConfigError for a bad selection, a bad base URL or an environment
 * that cannot run them — before any test starts.
 */
export async function runSuite(deps: RunSuiteDeps, input: RunSuiteInput): Promise<RunSuiteResult> {
  const selected = selectTests(input.tests, input.only ?? [], input.onlyLabel);
  const base = input.baseUrl ? parseBaseUrl(input.baseUrl, input.baseUrlLabel) : undefined;
  const asRun = base ? selected.map((t) => applyBaseUrl(t, base)) : selected;
  const { skipAi } = requireEnvironment(checkEnvironment(asRun, input.environment));
  const startedAt = Date.now();
  const outcome = await runTests(
    { agent: deps.agent, store: deps.store, ...(deps.logger ? { logger: deps.logger } : {}) },
    {
      tests: selected,
      ...(base ? { baseUrl: base } : {}),
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
      source: input.source,
      secrets: input.secrets ?? {},
      skipAi,
      ...(input.replay === false ? { replay: false } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.reporter ? { reporter: input.reporter } : {}),
    },
  );
  const baseline =
    deps.store && input.baseBranch
      ? await readBaseline(
          { store: deps.store, ...(deps.logger ? { logger: deps.logger } : {}) },
          outcome.results,
          input.baseBranch,
        )
      : undefined;
  return {
    outcome,
    tests: outcome.tests,
    startedAt,
    ...(base ? { baseUrl: base.origin } : {}),
    storeConfigured: deps.store !== null,
    skippedAi: skipAi,
    ...(baseline ? { baseline } : {}),
  };
}
