/**
 * The HouseCat app as a process of its own, so a test can SIGKILL it mid-run (a crash: no `finally`,
 * no release, no goodbye to Redis). Run with `node --import tsx tests/support/bot-process.ts`; it is
 * configured by environment variables and prints one JSON line `{"url": …}` once it listens, then a
 * line `run-started {testId}` each time its agent starts a run. Its agent answers BOT_AGENT_STATUS
 * (default `passed`) after BOT_AGENT_DELAY_MS (the crash lands inside that). BOT_CONTENT_MAX and
 * BOT_CONTENT_WINDOW_MS scale the shared GitHub content limit down with the GitHub stand-in's limit
 * (the storm and replica tests); BOT_WEBHOOK_SECRET lets it take webhooks; BOT_LOG=1 prints its log
 * to stderr; BOT_OUTBOX_LEASE_MS shortens the outbox lease a SIGKILL leaves behind. Alert channels come from HOUSECAT_NOTIFY_* as in `housecat serve`; with
 * BOT_DIE_BEFORE_ALERT=1 the process SIGKILLs itself when it is about to send its first alert (after
 * the incident decision was saved, before the platform has it), printing `alert-about-to-send` first.
 */
import { storageOf } from '../../src/adapters/compose-storage.js';
import { readNotifyChannels } from '../../src/adapters/env.js';
import { createNotifier } from '../../src/adapters/notify/index.js';
import { createStore } from '../../src/adapters/store/index.js';
import { createApp } from '../../src/bot/app.js';
import type { Agent } from '../../src/core/ports.js';

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bot-process: set ${name} (see tests/bot/crash.test.ts for how it is started)`);
  return value;
}

const delayMs = Number(process.env.BOT_AGENT_DELAY_MS ?? '0');
const status = process.env.BOT_AGENT_STATUS === 'failed' ? 'failed' : 'passed';
const contentMax = process.env.BOT_CONTENT_MAX ? Number(process.env.BOT_CONTENT_MAX) : undefined;
const contentWindowMs = process.env.BOT_CONTENT_WINDOW_MS;
const log = (m: string) => {
  if (process.env.BOT_LOG === '1') process.stderr.write(`[bot ${process.pid}] ${m}\n`);
};
const agent: Agent = {
  async run(input) {
    process.stdout.write(`run-started ${input.test.id}\n`);
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, delayMs));
    return {
      runId: input.runId,
      testId: input.test.id,
      status,
      reason: status === 'passed' ? 'all checks passed' : 'text "Welcome" not found',
      agent: input.test.agent,
      startedAt,
      durationMs: Date.now() - startedAt,
      steps: [],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    };
  },
};

const notifier = createNotifier(readNotifyChannels(process.env));
if (process.env.BOT_DIE_BEFORE_ALERT === '1') {
  notifier.send = async () => {
    process.stdout.write('alert-about-to-send\n');
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => undefined);
  };
}

const store = createStore({ REDIS_URL: need('REDIS_URL') }, { prefix: need('BOT_PREFIX') });
if (!store) throw new Error('bot-process: REDIS_URL did not give a store');
const app = await createApp({
  config: {
    appId: need('BOT_APP_ID'),
    privateKey: need('BOT_PRIVATE_KEY'),
    webhookSecret: process.env.BOT_WEBHOOK_SECRET ?? 'unused-here',
    publicUrl: need('BOT_PUBLIC_URL'),
    signingKeys: { current: need('BOT_SIGNING_CURRENT'), next: need('BOT_SIGNING_NEXT') },
    githubApiUrl: need('BOT_GITHUB_URL'),
  },
  storage: storageOf(store),
  agent,
  logLevel: 'fatal',
  logger: { info: log, warn: log, error: log },
  notifier,
  ...(contentMax
    ? {
        contentLimits: {
          perMinute: contentMax,
          perHour: 100_000,
          ...(contentWindowMs ? { minuteMs: Number(contentWindowMs) } : {}),
        },
      }
    : {}),
  ...(process.env.BOT_INCIDENT_WAIT_MS ? { incidentWaitMs: Number(process.env.BOT_INCIDENT_WAIT_MS) } : {}),
  ...(process.env.BOT_OUTBOX_LEASE_MS ? { outboxLeaseMs: Number(process.env.BOT_OUTBOX_LEASE_MS) } : {}),
});
const server = await app.listen(0);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
