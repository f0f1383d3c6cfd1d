/**
 * One Agent for every test: `run` picks the backend per `test.agent`, `checks` runs the
 * deterministic `expect` block. That checks go first and the AI gets what they leave of the
 * deadline is the run's policy, in app/run-tests.ts (runTestParts), not an adapter's.
 * Whether the AI part runs at all (fork PRs, missing keys) is decided before the run, once, by
 * checkEnvironment (core/run/environment-check.ts); a backend reached without its key says so.
 */
import type { Agent, AgentRunInput, Clock, Logger } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import type { ReplayStore } from '../../core/replay/index.js';
import type { RunResult, TestDefinition } from '../../core/types.js';
import type { BrowserPool } from '../browser/index.js';
import { allowPrivateNetwork, type HouseCatEnv, waitMs } from '../env.js';
import type { LookupAll } from '../net/public-address.js';
import { runChecks } from './checks/index.js';
import { type ClaudeAgentOptions, createClaudeAgent } from './claude/index.js';
import { createRecorder } from './recorder.js';
import { withReplay } from './replay/with-replay.js';
import { createTinyFishAgent } from './tinyfish/index.js';

export interface CreateAgentOptions {
  env: HouseCatEnv;
  pool: BrowserPool;
  /** For the TinyFish backend (tests, proxies). */
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  /** Extra options of the claude backend (token budget, retries, snapshot size). */
  claude?: Omit<ClaudeAgentOptions, 'env' | 'pool' | 'clock' | 'logger'>;
  /** DNS resolution for the private-address checks (tests). */
  lookup?: LookupAll;
  /** How long the checks wait for expected text that scripts add after load; default HOUSECAT_TEXT_WAIT_MS, else 5 s. */
  textWaitMs?: number;
  /** How long a replayed step waits for its element; default HOUSECAT_ELEMENT_WAIT_MS, else 5 s. */
  elementWaitMs?: number;
  /** Where replay scripts live; absent: every claude run calls the model (issue 14). */
  replay?: ReplayStore | null;
}

/** Creates the Agent the runner and the bot use. */
export function createAgent(options: CreateAgentOptions): Agent {
  const clock = options.clock ?? systemClock;
  const privateNetwork = allowPrivateNetwork(options.env);
  const textWaitMs = options.textWaitMs ?? waitMs(options.env, 'HOUSECAT_TEXT_WAIT_MS');
  const checksOptions = {
    pool: options.pool,
    allowPrivateNetwork: privateNetwork,
    clock,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(textWaitMs !== undefined ? { textWaitMs } : {}),
  };
  const backends: Record<'claude' | 'tinyfish', Agent> = {
    claude: createClaudeAgent({
      ...options.claude,
      env: options.env,
      pool: options.pool,
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    tinyfish: createTinyFishAgent({
      ...(options.env.TINYFISH_API_KEY ? { apiKey: options.env.TINYFISH_API_KEY } : {}),
      ...(options.env.TINYFISH_URL ? { baseUrl: options.env.TINYFISH_URL } : {}),
      allowPrivateNetwork: privateNetwork,
      clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
  };

  if (options.replay) {
    const elementWaitMs = options.elementWaitMs ?? waitMs(options.env, 'HOUSECAT_ELEMENT_WAIT_MS');
    backends.claude = withReplay(backends.claude, {
      ...(elementWaitMs !== undefined ? { elementWaitMs } : {}),
      store: options.replay,
      pool: options.pool,
      allowPrivateNetwork: privateNetwork,
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  // Dispatch only: the order of the parts and the deadline split are the run's (app/run-tests.ts).
  async function run(input: AgentRunInput): Promise<RunResult> {
    const { test } = input;
    if (test.agent === 'checks') return runChecks(input, checksOptions);
    if (test.agent === 'claude' || test.agent === 'tinyfish') return backends[test.agent].run(input);
    return createRecorder(input, 'checks', clock).finish(
      'error',
      `Test "${test.name}" asks for agent "${String(test.agent)}"; use claude, tinyfish or checks.`,
    );
  }

  async function prepare(tests: TestDefinition[]): Promise<void> {
    // TinyFish runs its own browser; every other test opens a context of the shared one.
    if (tests.some((t) => t.agent !== 'tinyfish' || t.expect !== undefined)) {
      await options.pool.browser().catch(() => undefined);
    }
  }

  return { run, checks: (input) => runChecks(input, checksOptions), prepare };
}
