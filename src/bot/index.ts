export { type BotApp, type BotDeps, createApp, WEBHOOK_PATH } from './app.js';
export { type BotConfig, readBotConfig } from './config.js';
