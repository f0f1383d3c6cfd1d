export { applyBaseUrl, parseBaseUrl, rebaseUrl } from './base-url.js';
export { type CiEvent, interpretEvent, originOf, type PullRequestInfo } from './ci-event.js';
export { type AgentKeys, missingKeyReason } from './missing-key.js';
export {
  countStatuses,
  DEFAULT_CONCURRENCY,
  type RunDeps,
  type RunInput,
  type RunOutcome,
  type RunReporter,
  runTests,
} from './run-tests.js';
export { parseOnly, selectTests } from './select.js';
