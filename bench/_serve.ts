/**
 * `housecat serve` as its own process, for the benchmarks that load it (capacity, replicas): the
 * app against GitHub's stand-in and a Redis, checking QStash's signatures for PUBLIC_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GitHubServer } from '../tests/support/github-server.js';

const root = join(import.meta.dirname, '..');

/** The app's public address: the URL QStash signs its deliveries for. */
export const PUBLIC_URL = 'https://housecat.bench';
/** QStash's signing keys, fresh per bench process: the bench signs its deliveries with them. */
export const signing = { current: `cur_${randomUUID()}`, next: `next_${randomUUID()}` };

/**
 * Starts `housecat serve` over the Redis keys at `prefix` (HOUSECAT_REDIS_PREFIX), with
 * `maxParallelRuns` run slots (unset: serve's own default); resolves with its URL and its run
 * slots once it listens.
 */
export function startServe(
  redisUrl: string,
  gh: GitHubServer,
  prefix: string,
  maxParallelRuns?: number,
): Promise<{ url: string; slots: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/index.ts'), 'serve', '--port', '0', '--host', '127.0.0.1'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        REDIS_URL: redisUrl,
        HOUSECAT_REDIS_PREFIX: prefix,
        APP_ID: String(gh.appId),
        PRIVATE_KEY: gh.privateKey.replace(/\n/g, '\\n'),
        WEBHOOK_SECRET: 'bench',
        HOUSECAT_PUBLIC_URL: PUBLIC_URL,
        QSTASH_CURRENT_SIGNING_KEY: signing.current,
        QSTASH_NEXT_SIGNING_KEY: signing.next,
        GHE_HOST: new URL(gh.url).host,
        GHE_PROTOCOL: 'http',
        HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
        ...(maxParallelRuns ? { HOUSECAT_MAX_PARALLEL_RUNS: String(maxParallelRuns) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`housecat serve did not start in 60 s: ${stderr}`)),
      60_000,
    );
    let url = '';
    // serve prints its URL, then its run slots: both are needed.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      url = line.match(/listening on (http:\/\/[^\s"]+)/)?.[1] ?? url;
      const slots = Number(line.match(/runs at once:\s+(\d+)/)?.[1] ?? 0);
      if (url && slots > 0) {
        clearTimeout(timer);
        resolve({ url, slots, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`housecat serve exited with ${code}: ${stderr}`)));
  });
}
