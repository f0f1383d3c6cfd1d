/** adapters/qstash/: the Scheduler port over @upstash/qstash (cron schedules that call the app). */
export { createQStashScheduler, DEFAULT_QSTASH_URL, type QStashSchedulerOptions } from './scheduler.js';
