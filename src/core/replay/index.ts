/** core/replay/: replay scripts of passing claude runs: their shape, their binding to a test, their store port. */
export {
  describeLocator,
  describeReplayStep,
  REPLAY_FORMAT,
  type ReplayScript,
  replayEnabled,
  replayHash,
  staleReason,
} from './script.js';
export type { ReplayStore } from './store.js';
