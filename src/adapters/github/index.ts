/**
 * adapters/github/: GitHub through Octokit: issues and comments for incidents, pull requests, the
 * signed-in user's API, installations, and the throttles and rate limits GitHub asks for.
 */
export * from './errors.js';
export * from './installations.js';
export * from './issue-tracker.js';
export * from './rate-limit.js';
export * from './rate-limit-pause.js';
export * from './throttle.js';
