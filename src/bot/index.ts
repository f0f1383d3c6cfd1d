export { type BotApp, type BotDeps, createApp, WEBHOOK_PATH } from './app.js';
export { type BotConfig, NO_DASHBOARD, readBotConfig } from './config.js';
