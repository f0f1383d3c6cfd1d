/**
 * Starts tests/support/bot-process.ts as a child process on a bot harness's Redis prefix and GitHub
 * stand-in, so a test can SIGKILL it mid-run or run several as replicas (tests/bot/crash, replicas,
 * storm-restart and webhook-durability tests).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GitHubServer } from './github-server.js';
import { testRedisUrl } from './redis.js';

/** The parts of the bot test harness (tests/bot/harness.ts) the process shares. */
export interface BotProcessTarget {
  prefix: string;
  gh: Pick<GitHubServer, 'appId' | 'privateKey' | 'url'>;
  signing: { current: string; next: string };
}

/**
 * Spawns the app process with the target's settings plus `env` (e.g. BOT_AGENT_DELAY_MS); every
 * stdout line is pushed to `lines`. `url` resolves once it listens and rejects if it exits first.
 */
export function spawnBotProcess(
  target: BotProcessTarget,
  publicUrl: string,
  env: Record<string, string>,
  lines: string[] = [],
): { child: ChildProcess; url: Promise<string> } {
  const root = join(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/support/bot-process.ts')], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: testRedisUrl(),
      BOT_PREFIX: target.prefix,
      BOT_APP_ID: String(target.gh.appId),
      BOT_PRIVATE_KEY: target.gh.privateKey,
      BOT_PUBLIC_URL: publicUrl,
      BOT_SIGNING_CURRENT: target.signing.current,
      BOT_SIGNING_NEXT: target.signing.next,
      BOT_GITHUB_URL: target.gh.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bot-process exited (${code}) before it listened`)));
    out.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('{')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { child, url };
}
