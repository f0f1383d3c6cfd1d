export {
  type ClaudeAgentOptions,
  createClaudeAgent,
  DEFAULT_MODEL,
  DEFAULT_TOKEN_BUDGET,
} from './claude-agent.js';
export { SYSTEM_PROMPT } from './prompt.js';
export { TOOLS } from './tools.js';
