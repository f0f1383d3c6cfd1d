export { applyBaseUrl, parseBaseUrl, rebaseUrl } from './base-url.js';
export { type CiEvent, interpretEvent, originOf, type PullRequestInfo } from './ci-event.js';
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_RUN_MS } from './defaults.js';
export {
  checkEnvironment,
  type EnvironmentFacts,
  type EnvironmentPlan,
  FORK_REASON,
  requireEnvironment,
} from './environment-check.js';
export type { RunReporter } from './reporter.js';
export { parseOnly, selectTests } from './select.js';
