/**
 * The one rule for what the environment makes impossible, decided before any test starts.
 *
 * - A fork pull request gets no secrets from GitHub: the AI part of its goal tests is SKIPPED (the
 *   documented behaviour); deterministic `expect` checks still run.
 * - A caller may ask for the same skip explicitly when a key is missing (`--skip-without-key`, the
 *   demo).
 * - The app (scheduled runs) asks for `checksWithoutKey`: a goal test whose key is missing still runs
 *   its `expect` checks, so a missing key never blinds the monitor. Failing checks are `failed` (the
 *   incident opens); passing ones are `error` naming the key, never a pass nobody checked.
 * - Otherwise a missing ANTHROPIC_API_KEY / TINYFISH_API_KEY, a test secret (`secrets:`) that is not
 *   set, a private or loopback URL without HOUSECAT_ALLOW_PRIVATE_NETWORK, and a missing Chromium
 *   are configuration problems: every one is listed at once, with its fix, and nothing runs (exit 2
 *   in the CLI and the Action). A secret only counts where the AI part runs: the checks never type
 *   one, and a skipped goal needs none.
 *
 * Pure: the facts are read by the caller (see adapters/compose.ts).
 */
import { ConfigError } from '../errors.js';
import { privateHostReason } from '../net/private-address.js';
import type { TestDefinition } from '../types.js';

/** What the environment offers, as facts read once by the entry point. */
export interface EnvironmentFacts {
  anthropicKey: boolean;
  tinyfishKey: boolean;
  allowPrivateNetwork: boolean;
  /** Why no browser can start (no Chromium found), or undefined when one is there. */
  chromiumProblem?: string;
  /** A pull request from a fork: GitHub gives it no secrets, so AI goals are skipped. */
  fork?: boolean;
  /** Skip AI goals whose key is missing instead of refusing the run (`--skip-without-key`, the demo). */
  skipWithoutKey?: boolean;
  /** How the key is given where this runs, for the fix (default: the environment variable). */
  keyHint?: { anthropic?: string; tinyfish?: string };
  /** How to ask for the skip where this runs (the CLI: `pass --skip-without-key ...`). */
  skipHint?: string;
  /**
   * The app: a goal test without its key runs its `expect` checks, and passing checks are `error`
   * with the configuration reason (see {@link EnvironmentPlan.keylessChecks}).
   */
  checksWithoutKey?: boolean;
  /** Names of test secrets set in this environment. Undefined: secrets are not checked. */
  secretsSet?: ReadonlySet<string>;
  /** Where to set a test secret where this runs, for the fix (default: an environment variable). */
  secretHint?: string;
}

export interface EnvironmentPlan {
  /** Configuration problems, each with its fix. Empty: the tests can run. */
  problems: string[];
  /** Tests whose AI part is skipped, with the reason (their `expect` checks still run). */
  skipAi: Map<string, string>;
  /**
   * With `checksWithoutKey` (the app): goal tests whose key is missing, with the configuration
   * reason. Their `expect` checks run; failing checks are `failed`, passing ones `error` with this
   * reason. A keyless goal test without `expect` has nothing to run: it is a problem instead.
   */
  keylessChecks: Map<string, string>;
}

export const FORK_REASON = 'this pull request comes from a fork, and GitHub gives forks no secrets';

function isAi(test: TestDefinition): test is TestDefinition & { agent: 'claude' | 'tinyfish' } {
  return test.agent !== 'checks' && test.goal !== undefined;
}

/** The key an AI test needs that is not set, or undefined. */
function missingKey(test: TestDefinition, facts: EnvironmentFacts): string | undefined {
  if (test.agent === 'claude' && !facts.anthropicKey) return 'ANTHROPIC_API_KEY';
  if (test.agent === 'tinyfish' && !facts.tinyfishKey) return 'TINYFISH_API_KEY';
  return undefined;
}

/**
 * Decides, for tests as they will run (base URL applied), which AI parts are skipped and which
 * problems stop the run. Never throws; see {@link requireEnvironment}.
 */
export function checkEnvironment(tests: readonly TestDefinition[], facts: EnvironmentFacts): EnvironmentPlan {
  const problems: string[] = [];
  const skipAi = new Map<string, string>();
  const keylessChecks = new Map<string, string>();
  const keyless = new Map<string, string[]>();
  const unsetSecrets = new Map<string, string[]>();
  const privateUrls: string[] = [];
  let needsBrowser = false;
  for (const test of tests) {
    let aiRuns = isAi(test);
    if (aiRuns && facts.fork) {
      skipAi.set(test.id, FORK_REASON);
      aiRuns = false;
    } else if (aiRuns) {
      const key = missingKey(test, facts);
      if (key && facts.skipWithoutKey) {
        skipAi.set(test.id, `${key} is not set`);
        aiRuns = false;
      } else if (key && facts.checksWithoutKey && test.expect !== undefined) {
        keylessChecks.set(test.id, keylessReason(key, facts));
        aiRuns = false;
      } else if (key) {
        keyless.set(key, [...(keyless.get(key) ?? []), test.slug]);
      }
    }
    if (aiRuns && facts.secretsSet) {
      for (const name of test.secrets) {
        if (!facts.secretsSet.has(name))
          unsetSecrets.set(name, [...(unsetSecrets.get(name) ?? []), test.slug]);
      }
    }
    const runsSomething = aiRuns || test.expect !== undefined || !isAi(test);
    // TinyFish browses on its own servers; the checks and Claude drive the local Chromium.
    if (runsSomething && (test.agent !== 'tinyfish' || !aiRuns || test.expect !== undefined)) {
      needsBrowser = true;
    }
    if (runsSomething && !facts.allowPrivateNetwork) {
      const host = hostOf(test.url);
      const reason = host === undefined ? null : privateHostReason(host);
      if (reason) privateUrls.push(`${test.slug} (${test.url}: ${reason})`);
    }
  }
  for (const [key, slugs] of keyless) {
    const hint = (key === 'ANTHROPIC_API_KEY' ? facts.keyHint?.anthropic : facts.keyHint?.tinyfish) ?? key;
    problems.push(
      `${key} is not set, and ${slugs.length} goal test(s) need it: ${slugs.join(', ')}. ` +
        `Set ${hint}, or give these tests \`agent: checks\` with \`expect:\`${facts.skipHint ? `, or ${facts.skipHint}` : ''}.`,
    );
  }
  for (const [name, slugs] of unsetSecrets) {
    problems.push(
      `the secret ${name} is not set, and ${slugs.length} test(s) name it under \`secrets:\`: ${slugs.join(', ')}. ` +
        `Set ${facts.secretHint ? facts.secretHint.replaceAll('{name}', name) : `the environment variable ${name}`}, or remove it from their \`secrets:\`.`,
    );
  }
  if (privateUrls.length > 0) {
    problems.push(
      `${privateUrls.length} test(s) point at a private or loopback address, which HouseCat refuses by default: ` +
        `${privateUrls.join('; ')}. Set HOUSECAT_ALLOW_PRIVATE_NETWORK=1 to test a local or private app.`,
    );
  }
  if (needsBrowser && facts.chromiumProblem) problems.push(facts.chromiumProblem);
  return { problems, skipAi, keylessChecks };
}

/** The reason a keyless goal test's passing checks are `error` (the app). */
function keylessReason(key: string, facts: EnvironmentFacts): string {
  const hint = (key === 'ANTHROPIC_API_KEY' ? facts.keyHint?.anthropic : facts.keyHint?.tinyfish) ?? key;
  return (
    `configuration: ${key} is not set, so the goal was not checked (the \`expect\` checks passed). ` +
    `Set ${hint}, or give this test \`agent: checks\`.`
  );
}

/** Throws one ConfigError listing every problem of the plan; returns the plan otherwise. */
export function requireEnvironment(plan: EnvironmentPlan): EnvironmentPlan {
  if (plan.problems.length === 0) return plan;
  const n = plan.problems.length;
  throw new ConfigError(
    `${n} problem${n === 1 ? '' : 's'} in the environment — nothing was run:\n${plan.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
