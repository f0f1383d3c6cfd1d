export {
  createTinyFishAgent,
  parseVerdict,
  TINYFISH_DEFAULT_URL,
  type TinyFishOptions,
  type TinyFishVerdict,
  tinyFishGoal,
} from './tinyfish-agent.js';
