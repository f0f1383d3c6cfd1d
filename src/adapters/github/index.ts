export * from './errors.js';
export * from './installations.js';
export * from './issue-tracker.js';
export * from './rate-limit.js';
export * from './rate-limit-pause.js';
export * from './throttle.js';
