/**
 * The choices `housecat up` makes at start-up, each said in the banner: which store (REDIS_URL or
 * Upstash when set, else a private redis-server), where incidents go (GitHub issues with a token and
 * a repository, else Redis), and who may open the pages (loopback: the local operator; elsewhere
 * GitHub sign-in, or `--no-auth`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HouseCatEnv } from '../adapters/env.js';
import { createTokenIssueTracker } from '../adapters/github/token-tracker.js';
import { findRedisServer, type PrivateRedis, startPrivateRedis } from '../adapters/redis-process.js';
import { createStore, type RedisStore } from '../adapters/store/index.js';
import { createLocalIssueTracker, type LocalIssueTracker } from '../adapters/store/local-issue-tracker.js';
import type { LocalDashboardAccess } from '../bot/index.js';
import { ConfigError } from '../core/errors.js';
import type { IssueTracker } from '../core/incidents/tracker.js';
import type { Clock } from '../core/ports.js';

export interface UpStore {
  store: RedisStore;
  /** The private server, when `up` runs one. */
  redis: PrivateRedis | null;
  describe: string;
}

/** The folder of the private server's data: `.housecat/data/` next to the definitions file. */
export function dataDirFor(definitionsPath: string): string {
  return join(dirname(definitionsPath), '.housecat', 'data');
}

/** REDIS_URL or Upstash when set; otherwise a private redis-server (started or adopted). */
export async function openUpStore(env: HouseCatEnv, definitionsPath: string, path: string): Promise<UpStore> {
  const configured = createStore(env);
  if (configured) {
    const where = env.UPSTASH_REDIS_REST_URL
      ? `Upstash Redis (${new URL(env.UPSTASH_REDIS_REST_URL).host}, from UPSTASH_REDIS_REST_URL)`
      : `Redis at ${new URL(env.REDIS_URL ?? '').host} (from REDIS_URL)`;
    return { store: configured, redis: null, describe: where };
  }
  if (!findRedisServer(path)) {
    throw new ConfigError(
      'no store: REDIS_URL and UPSTASH_REDIS_REST_URL are not set, and there is no redis-server on PATH to start a private one — install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; Fedora: sudo dnf install redis), or set REDIS_URL to a Redis you run.',
    );
  }
  const dir = dataDirFor(definitionsPath);
  mkdirSync(dir, { recursive: true });
  // The data is this machine's history, not the repository's.
  writeFileSync(join(dirname(dir), '.gitignore'), '# housecat up: local data, not for git\n*\n');
  const redis = await startPrivateRedis({ dir, path });
  const store = createStore({ ...env, REDIS_URL: redis.url }) as RedisStore;
  const how = redis.adopted ? 'adopted: it outlived a previous housecat up' : 'started';
  return {
    store,
    redis,
    describe: `private redis-server (${how}, pid ${redis.pid}, ${redis.url}), data in ${redis.dir} (append-only)`,
  };
}

/** `gh auth token`, when the GitHub CLI is installed and signed in. */
function ghToken(): string | undefined {
  try {
    const token = execFileSync('gh', ['auth', 'token'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return token || undefined;
  } catch {
    return undefined;
  }
}

export interface UpIncidents {
  tracker: IssueTracker;
  local: LocalIssueTracker | null;
  describe: string;
}

/** GitHub issues with a token and a real repository; otherwise incidents kept in Redis. */
export function chooseIncidents(args: {
  env: HouseCatEnv;
  repo: string;
  store: RedisStore;
  clock: Clock;
  forceLocal: boolean;
  pageUrl: () => string;
  onChange: (line: string) => void;
}): UpIncidents {
  const { env, repo, store, clock } = args;
  const token = args.forceLocal ? undefined : (env.GITHUB_TOKEN ?? ghToken());
  const source = env.GITHUB_TOKEN ? 'GITHUB_TOKEN' : '`gh auth token`';
  if (token && !repo.startsWith('local/')) {
    return {
      tracker: createTokenIssueTracker({
        token,
        ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
        limits: store,
        now: () => clock.now(),
      }),
      local: null,
      describe: `GitHub issues in ${repo}, as the app files them (token from ${source})`,
    };
  }
  const why = args.forceLocal
    ? '--local-incidents'
    : token
      ? 'the repository is not on GitHub (no git remote "origin"): pass --repo OWNER/NAME for GitHub issues'
      : 'no GITHUB_TOKEN and no `gh auth token`: set one for GitHub issues';
  const local = createLocalIssueTracker(store, {
    urlOf: (r, n) => `${args.pageUrl()}/local/${r}/issues/${n}`,
    now: () => clock.now(),
    onChange: (c) =>
      args.onChange(
        `incident ${c.kind}: ${c.title} — ${c.issue.url}${c.kind === 'closed' ? ' (the summary is on that page)' : ''}`,
      ),
  });
  return { tracker: local, local, describe: `local: kept in Redis and shown on the page (${why})` };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

/** Who may open the pages on `host`; throws ConfigError for a non-loopback host with neither sign-in nor --no-auth. */
export function chooseAccess(
  env: HouseCatEnv,
  host: string,
  noAuth: boolean,
): { access: LocalDashboardAccess; describe: string; warning?: string } {
  if (isLoopback(host)) {
    return {
      access: { kind: 'local' },
      describe: `local: ${host} is reachable from this machine only, no sign-in`,
    };
  }
  if (noAuth) {
    return {
      access: { kind: 'local' },
      describe: `NONE (--no-auth): anyone who can reach ${host} sees every test and may run them`,
      warning: `--no-auth on ${host}: the dashboard and Run now are open to anyone who can reach this address. Bind to 127.0.0.1, or set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET for GitHub sign-in.`,
    };
  }
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    return {
      access: {
        kind: 'github',
        clientId: env.GITHUB_CLIENT_ID,
        clientSecret: env.GITHUB_CLIENT_SECRET,
        ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
      },
      describe: 'Sign in with GitHub (GITHUB_CLIENT_ID); status pages follow status_page.public',
    };
  }
  throw new ConfigError(
    `--host ${host} is reachable from other machines, and the dashboard runs tests: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (a GitHub App's client credentials) for Sign in with GitHub, or pass --no-auth to open it to anyone who can reach ${host}, or leave --host at 127.0.0.1.`,
  );
}
