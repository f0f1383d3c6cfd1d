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
