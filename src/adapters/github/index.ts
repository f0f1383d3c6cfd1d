export * from './errors.js';
export * from './installations.js';
export * from './issue-tracker.js';
export * from './throttle.js';
