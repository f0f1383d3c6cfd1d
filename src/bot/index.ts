export { type BotApp, type BotDeps, createApp, WEBHOOK_PATH } from './app.js';
export { type BotConfig, NO_DASHBOARD, readBotConfig } from './config.js';
export { type LocalApp, type LocalAppDeps, startLocalApp } from './up/local-app.js';
export type { LocalDashboardAccess } from './up/local-dashboard.js';
