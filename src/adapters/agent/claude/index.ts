/**
 * adapters/agent/claude/: the claude backend, the Anthropic Messages API tool loop driving a guarded
 * Chromium context (claude-agent.ts runs it; model-loop, tool-dispatch and verdict are its parts).
 */
export {
  type ClaudeAgentOptions,
  createClaudeAgent,
  DEFAULT_MODEL,
  DEFAULT_TOKEN_BUDGET,
} from './claude-agent.js';
export { SYSTEM_PROMPT } from './prompt.js';
export { TOOLS } from './tool-definitions.js';
