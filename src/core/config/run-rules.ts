/**
 * Rules that the run time enforces on a test (the host policy, the agents) and that are also
 * definitions problems. They live here once: `crossChecks` applies every rule of {@link RUN_RULES}
 * for `validate`, `sync` and `run`, and the run-time guards call the same functions, so whatever a
 * run would refuse, `validate` reports first with its line. A rule that depends on the environment
 * (a private address without HOUSECAT_ALLOW_PRIVATE_NETWORK, a missing key) is not a property of
 * the file and is not here.
 *
 * Each rule carries an example file it refuses; tests/core/config/run-rules.test.ts runs the real
 * `housecat validate` and `housecat run` on every example, so a new rule cannot skip validate.
 */
import type { PathSegment } from './locate.js';

/** A problem one rule finds, at a field path of the parsed file. */
export interface CrossProblem {
  path: PathSegment[];
  message: string;
  at?: 'key' | 'value';
}

type Plain = Record<string, unknown>;

export interface RunRule {
  /** Short name, used in test titles. */
  id: string;
  /** What enforces it at run time (for readers; the enforcer imports the rule's function). */
  enforcedBy: string;
  /** Problems of one test (as parsed YAML, possibly invalid elsewhere) given the file's `defaults`. */
  check(test: Plain, defaults: Plain, index: number): CrossProblem[];
  /** A file this rule refuses, the field path validate must report, and a part of the message. */
  example: { yaml: string; line: number; path: string; message: string };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * `*.com` would let the browser reach every .com site: a wildcard must keep at least two labels.
 * Used by the host policy (core/net/host-policy.ts) when it builds a test's rules.
 */
export function wildcardProblem(entry: string): string | null {
  const value = entry.trim().toLowerCase();
  if (!value.startsWith('*.')) return null;
  const host = value.slice(2).replace(/:\d+$/, '').replace(/\.$/, '');
  if (host.startsWith('[') || host.includes('.')) return null;
  return `"${entry}" is too broad: a wildcard must keep at least two labels, e.g. *.myapp.com`;
}

/**
 * HouseCat never sends secret values to TinyFish (a hosted agent that HouseCat cannot confine to
 * `allowed_hosts`). Mirrors the guard in adapters/agent/tinyfish/tinyfish-agent.ts.
 */
export function tinyfishSecretsProblem(agent: unknown, hasGoal: boolean, secrets: string[]): string | null {
  if (agent !== 'tinyfish' || !hasGoal || secrets.length === 0) return null;
  return `agent "tinyfish" never receives secret values (${secrets.join(', ')}) — use \`agent: claude\` for a test that types secrets, or remove \`secrets\``;
}

const wildcardRule: RunRule = {
  id: 'allowed_hosts wildcard too broad',
  enforcedBy: 'the host policy (core/net/host-policy.ts)',
  check(test, defaults, index) {
    const problems: CrossProblem[] = [];
    strings(test.allowed_hosts).forEach((entry, i) => {
      const message = wildcardProblem(entry);
      if (message) problems.push({ path: ['tests', index, 'allowed_hosts', i], message });
    });
    // A broad wildcard in defaults is reported once, on the first test.
    if (index === 0) {
      strings(defaults.allowed_hosts).forEach((entry, i) => {
        const message = wildcardProblem(entry);
        if (message) problems.push({ path: ['defaults', 'allowed_hosts', i], message });
      });
    }
    return problems;
  },
  example: {
    yaml: 'tests:\n  - name: Shop\n    url: https://shop.example.com\n    goal: Buy a hat\n    allowed_hosts: ["*.com"]\n',
    line: 5,
    path: 'tests[0].allowed_hosts[0]',
    message: 'is too broad',
  },
};

const tinyfishSecretsRule: RunRule = {
  id: 'tinyfish with secrets',
  enforcedBy: 'the tinyfish agent (adapters/agent/tinyfish/tinyfish-agent.ts)',
  check(test, defaults, index) {
    const hasGoal = typeof test.goal === 'string' && test.goal.trim() !== '';
    const message = tinyfishSecretsProblem(test.agent ?? defaults.agent, hasGoal, strings(test.secrets));
    return message ? [{ path: ['tests', index, 'secrets'], message }] : [];
  },
  example: {
    yaml: 'defaults:\n  agent: tinyfish\ntests:\n  - name: Login\n    url: https://shop.example.com/login\n    goal: Log in\n    secrets: [DEMO_PASSWORD]\n',
    line: 7,
    path: 'tests[0].secrets',
    message: 'agent "tinyfish" never receives secret values',
  },
};

/** Every rule the run time applies to a definition. Add new ones here, with an example. */
export const RUN_RULES: readonly RunRule[] = [wildcardRule, tinyfishSecretsRule];
