/**
 * `housecat serve` as its own process, for the benchmarks that load it (capacity, replicas): the
 * app against GitHub's stand-in and a Redis, reading QStash's signatures for `publicUrl`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GitHubServer } from '../tests/support/github-server.js';

const root = join(import.meta.dirname, '..');

export interface ServeSettings {
  redisUrl: string;
  /** HOUSECAT_REDIS_PREFIX: the keys of this bench's store. */
  prefix: string;
  gh: GitHubServer;
  /** QStash's signing keys the bench signs its deliveries with. */
  signing: { current: string; next: string };
  publicUrl: string;
  /** HOUSECAT_MAX_PARALLEL_RUNS; unset: serve's own default. */
  maxParallelRuns?: number;
}

/** Starts `housecat serve`; resolves with its URL and its run slots once it listens. */
export function startServe(s: ServeSettings): Promise<{ url: string; slots: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/index.ts'), 'serve', '--port', '0', '--host', '127.0.0.1'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        REDIS_URL: s.redisUrl,
        HOUSECAT_REDIS_PREFIX: s.prefix,
        APP_ID: String(s.gh.appId),
        PRIVATE_KEY: s.gh.privateKey.replace(/\n/g, '\\n'),
        WEBHOOK_SECRET: 'bench',
        HOUSECAT_PUBLIC_URL: s.publicUrl,
        QSTASH_CURRENT_SIGNING_KEY: s.signing.current,
        QSTASH_NEXT_SIGNING_KEY: s.signing.next,
        GHE_HOST: new URL(s.gh.url).host,
        GHE_PROTOCOL: 'http',
        HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
        ...(s.maxParallelRuns ? { HOUSECAT_MAX_PARALLEL_RUNS: String(s.maxParallelRuns) } : {}),
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
