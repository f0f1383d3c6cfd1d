/** adapters/agent/tinyfish/: the TinyFish backend, the hosted web agent over server-sent events. */
export { createTinyFishAgent, TINYFISH_DEFAULT_URL, type TinyFishOptions } from './tinyfish-agent.js';
export { parseVerdict, type TinyFishVerdict, tinyFishGoal } from './verdict.js';
