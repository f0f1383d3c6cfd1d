/**
 * Rules that span fields or tests: duplicates, goal-or-expect, agent/goal agreement, and the rules
 * the run time applies (run-rules.ts). They read the
 * plain parsed YAML defensively, so they run even when other fields are invalid and every problem
 * is reported in one pass.
 */
import { slugify } from '../ids.js';
import { type CrossProblem, RUN_RULES } from './run-rules.js';

export type { CrossProblem };

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks every test against the others and against `defaults`. */
export function crossChecks(file: unknown): CrossProblem[] {
  if (!isPlain(file) || !Array.isArray(file.tests)) return [];
  const defaults = isPlain(file.defaults) ? file.defaults : {};
  const problems: CrossProblem[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();

  file.tests.forEach((test, index) => {
    if (!isPlain(test)) {
      problems.push({
        path: ['tests', index],
        message: 'each test must be a mapping that starts with "name:"',
      });
      return;
    }
    const hasGoal = typeof test.goal === 'string' && test.goal.trim() !== '';
    const hasExpect = test.expect !== undefined && test.expect !== null;
    if (!('goal' in test) && !hasExpect) {
      problems.push({
        path: ['tests', index],
        message:
          'this test has neither `goal` nor `expect` — add a goal in plain English, deterministic checks, or both',
      });
    }
    if (isPlain(test.expect) && Object.keys(test.expect).length === 0) {
      problems.push({
        path: ['tests', index, 'expect'],
        message: '`expect` is empty — add `status`, `text` or `max_ms`, or remove it',
      });
    }

    const agent = test.agent ?? defaults.agent;
    if (hasGoal && agent === 'checks') {
      const from = test.agent === undefined ? ' (from defaults.agent)' : '';
      problems.push({
        path: ['tests', index, 'goal'],
        message: `a goal needs an AI agent, but agent is "checks"${from} — set \`agent: claude\` or \`agent: tinyfish\`, or remove the goal`,
      });
    }
    if (!('goal' in test) && (test.agent === 'claude' || test.agent === 'tinyfish')) {
      problems.push({
        path: ['tests', index, 'agent'],
        message: `agent "${test.agent}" needs a \`goal\` — add one, or use \`agent: checks\``,
      });
    }

    for (const rule of RUN_RULES) problems.push(...rule.check(test, defaults, index));

    if (typeof test.name === 'string' && test.name.trim() !== '') {
      const key = test.name.trim().toLowerCase();
      const first = names.get(key);
      const duplicateName = first !== undefined;
      if (first !== undefined) {
        problems.push({
          path: ['tests', index, 'name'],
          message: `duplicate name "${test.name}" — tests[${first}] already uses it; names must be unique in the file`,
        });
      } else names.set(key, index);

      const explicit = typeof test.id === 'string';
      const slug = explicit ? (test.id as string) : slugify(test.name);
      if (!explicit && slug === '') {
        problems.push({
          path: ['tests', index, 'name'],
          message: `cannot derive an id from "${test.name}" (no letters or digits) — add \`id: some-slug\``,
        });
      } else if (slug !== '' && !(duplicateName && !explicit)) {
        const firstId = ids.get(slug);
        if (firstId !== undefined) {
          problems.push({
            path: ['tests', index, explicit ? 'id' : 'name'],
            message: `duplicate id "${slug}" — tests[${firstId}] has the same id${explicit ? '' : ' (derived from its name)'}; set a distinct \`id:\``,
          });
        } else ids.set(slug, index);
      }
    }
  });
  return problems;
}
