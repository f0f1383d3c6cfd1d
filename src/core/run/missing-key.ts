/**
 * Which AI goals cannot run for lack of their API key: the runner reports them as skipped (forks,
 * the demo) instead of as errors.
 */
import type { TestDefinition } from '../types.js';

/** The keys the AI agents need, as read from the environment. */
export interface AgentKeys {
  ANTHROPIC_API_KEY?: string;
  TINYFISH_API_KEY?: string;
}

/** Why an AI goal cannot run without its key, or undefined when the key is set. */
export function missingKeyReason(test: TestDefinition, env: AgentKeys): string | undefined {
  if (test.agent === 'claude' && !env.ANTHROPIC_API_KEY)
    return 'ANTHROPIC_API_KEY is not set (set it to let Claude check the goal)';
  if (test.agent === 'tinyfish' && !env.TINYFISH_API_KEY)
    return 'TINYFISH_API_KEY is not set (set it to let TinyFish check the goal)';
  return undefined;
}
