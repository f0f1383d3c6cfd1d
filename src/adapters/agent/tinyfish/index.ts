/** adapters/agent/tinyfish/: the TinyFish backend, the hosted web agent over server-sent events. */
export {
  createTinyFishAgent,
  parseVerdict,
  TINYFISH_DEFAULT_URL,
  type TinyFishOptions,
  type TinyFishVerdict,
  tinyFishGoal,
} from './tinyfish-agent.js';
