export * from './render.js';
export * from './state.js';
export * from './summary.js';
export type * from './tracker.js';
