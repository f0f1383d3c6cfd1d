/**
 * The wiring of one run, shared by `housecat run` and the Action's `run` mode: selects the tests,
 * opens the browser, the agent and the optional store, runs everything and closes what it opened.
 */
import { createAgent } from '../adapters/agent/index.js';
import { BrowserPool } from '../adapters/browser/index.js';
import { type HouseCatEnv, readSecrets } from '../adapters/env.js';
import { createStore } from '../adapters/store/index.js';
import type { Logger, Store } from '../core/ports.js';
import {
  DEFAULT_CONCURRENCY,
  parseBaseUrl,
  type RunOutcome,
  type RunReporter,
  runTests,
  selectTests,
} from '../core/run/index.js';
import type { RunSource, TestDefinition } from '../core/types.js';

export interface ExecuteRunOptions {
  env: HouseCatEnv;
  /** The raw environment, for the values of the tests' `secrets:`. */
  rawEnv: NodeJS.ProcessEnv;
  tests: TestDefinition[];
  only?: string[];
  /** Where `only` came from, for the error message (`--only`, `input only`). */
  onlyLabel?: string;
  baseUrl?: string;
  baseUrlLabel?: string;
  concurrency?: number;
  source: RunSource;
  reporter?: RunReporter;
  signal?: AbortSignal;
  logger?: Logger;
  /** Why AI goals cannot run here (fork), or a function deciding per test. */
  skipAi?: (test: TestDefinition) => string | undefined;
  /** Called with the open store (if any) before it is closed, e.g. to read the base branch's results. */
  withStore?: (store: Store, outcome: RunOutcome, tests: TestDefinition[]) => Promise<void>;
}

export interface ExecuteRunResult {
  outcome: RunOutcome;
  /** The tests as they ran (base URL applied). */
  tests: TestDefinition[];
  startedAt: number;
  baseUrl?: string;
  storeConfigured: boolean;
}

/**
 * Selects the tests, opens the browser, agent and (optional) store, runs everything and closes
 * what it opened. Throws ConfigError for bad selections or base URLs before anything starts.
 */
export async function executeRun(options: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const selected = selectTests(options.tests, options.only ?? [], options.onlyLabel);
  const base = options.baseUrl ? parseBaseUrl(options.baseUrl, options.baseUrlLabel) : undefined;
  const names = [...new Set(selected.flatMap((t) => t.secrets))];
  const { values: secrets } = readSecrets(names, options.rawEnv);
  const store = await createStore(options.env);
  const pool = new BrowserPool({ env: options.env });
  const startedAt = Date.now();
  try {
    const agent = createAgent({ env: options.env, pool });
    const outcome = await runTests(
      { agent, store, ...(options.logger ? { logger: options.logger } : {}) },
      {
        tests: selected,
        ...(base ? { baseUrl: base } : {}),
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        source: options.source,
        secrets,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.reporter ? { reporter: options.reporter } : {}),
        ...(options.skipAi ? { skipAi: options.skipAi } : {}),
      },
    );
    if (store && options.withStore) await options.withStore(store, outcome, outcome.tests);
    return {
      outcome,
      tests: outcome.tests,
      startedAt,
      ...(base ? { baseUrl: base.origin } : {}),
      storeConfigured: store !== null,
    };
  } finally {
    await pool.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
  }
}
