export { applyBaseUrl, parseBaseUrl, rebaseUrl } from './base-url.js';
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
