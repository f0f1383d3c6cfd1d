/**
 * The `checks` agent: deterministic `expect` checks in a guarded browser, no LLM and no API key.
 */
import type { Agent } from '../../../core/ports.js';
import { type ChecksOptions, runChecks } from './run-checks.js';

export { type ChecksOptions, type ContextSource, effectiveTest, runChecks } from './run-checks.js';

/** An Agent that runs only a test's `expect` block. */
export function createChecksAgent(options: ChecksOptions): Agent {
  return { run: (input) => runChecks(input, options) };
}
