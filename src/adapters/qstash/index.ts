export { createQStashScheduler, DEFAULT_QSTASH_URL, type QStashSchedulerOptions } from './scheduler.js';
