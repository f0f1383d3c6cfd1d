/**
 * core/run/: the pure rules of a run: selecting tests, the base URL of a preview, the CI event, the
 * environment check (what can run here) and the empty result every runner starts from.
 */
export { applyBaseUrl, parseBaseUrl, rebaseUrl, testAtBaseUrl } from './base-url.js';
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
export { continuedFrom, emptyResult, noUsage, type ResultHead } from './result.js';
export { parseOnly, selectTests } from './select.js';
