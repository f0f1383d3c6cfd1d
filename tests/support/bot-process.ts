/**
 * The HouseCat app as a process of its own, so a test can SIGKILL it mid-run (a crash: no `finally`,
 * no release, no goodbye to Redis). Run with `node --import tsx tests/support/bot-process.ts`; it is
 * configured by environment variables and prints one JSON line `{"url": …}` once it listens, then a
 * line `run-started {testId}` each time its agent starts a run. Its agent passes after
 * BOT_AGENT_DELAY_MS (the crash lands inside that), or fails with BOT_AGENT_STATUS=failed.
 * BOT_CONTENT_MAX / BOT_CONTENT_WINDOW_MS scale the shared GitHub content limit down.
 */
import { ProbotOctokit } from 'probot';
import { createStore } from '../../src/adapters/store/index.js';
import { createApp } from '../../src/bot/app.js';
import type { Agent } from '../../src/core/ports.js';

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bot-process: set ${name} (see tests/bot/crash.test.ts for how it is started)`);
  return value;
}

const delayMs = Number(process.env.BOT_AGENT_DELAY_MS ?? '0');
const failing = process.env.BOT_AGENT_STATUS === 'failed';
const contentMax = process.env.BOT_CONTENT_MAX;
const contentWindowMs = process.env.BOT_CONTENT_WINDOW_MS;
const agent: Agent = {
  async run(input) {
    process.stdout.write(`run-started ${input.test.id}\n`);
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, delayMs));
    return {
      runId: input.runId,
      testId: input.test.id,
      status: failing ? 'failed' : 'passed',
      reason: failing ? 'text "Welcome" not found' : 'all checks passed',
      agent: input.test.agent,
      startedAt,
      durationMs: Date.now() - startedAt,
      steps: [],
      evidence: {},
      usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
    };
  },
};

const store = createStore({ REDIS_URL: need('REDIS_URL') }, { prefix: need('BOT_PREFIX') });
if (!store) throw new Error('bot-process: REDIS_URL did not give a store');
const app = await createApp({
  config: {
    appId: need('BOT_APP_ID'),
    privateKey: need('BOT_PRIVATE_KEY'),
    webhookSecret: 'unused-here',
    publicUrl: need('BOT_PUBLIC_URL'),
    signingKeys: { current: need('BOT_SIGNING_CURRENT'), next: need('BOT_SIGNING_NEXT') },
    githubApiUrl: need('BOT_GITHUB_URL'),
  },
  store,
  agent,
  logLevel: 'fatal',
  logger: { info() {}, warn() {}, error() {} },
  // Probot's own pause between content creations off: the shared throttle is what is tested.
  Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object), enabled: false },
  })) as typeof ProbotOctokit,
  ...(contentMax
    ? {
        contentLimits: {
          perMinute: Number(contentMax),
          ...(contentWindowMs ? { minuteMs: Number(contentWindowMs) } : {}),
        },
      }
    : {}),
});
const server = await app.listen(0);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
