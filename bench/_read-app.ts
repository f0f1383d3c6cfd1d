/**
 * The app the read benchmarks (live views, status reads) measure: GitHub's stand-in behind it, no
 * runs (reads only), quiet, on a free port, over `store`.
 */
import { storageOf } from '../src/adapters/compose-storage.js';
import { createContentThrottle } from '../src/adapters/github/throttle.js';
import type { RedisStore } from '../src/adapters/store/index.js';
import { type BotDeps, createApp } from '../src/bot/app.js';
import { FastOctokit } from '../tests/bot/harness.js';
import type { GitHubServer } from '../tests/support/github-server.js';
import { freePort } from '../tests/support/redis-server.js';

/** Starts the app listening; `deps` adds to (or replaces) the defaults, e.g. `publicCacheMs: 0`. */
export async function startReadApp(gh: GitHubServer, store: RedisStore, deps: Partial<BotDeps> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await createApp({
    config: {
      appId: String(gh.appId),
      privateKey: gh.privateKey,
      webhookSecret: 'bench',
      publicUrl: url,
      signingKeys: { current: 'a', next: 'b' },
      githubApiUrl: gh.url,
      oauth: gh.oauth,
    },
    storage: storageOf(store),
    agent: { run: () => Promise.reject(new Error('no runs in this bench')) },
    logLevel: 'fatal',
    logger: { info() {}, warn() {}, error() {} },
    Octokit: FastOctokit,
    throttle: createContentThrottle({ max: 75, windowMs: 60_000 }),
    dashboard: { liveMaxMs: 10 * 60_000 },
    ...deps,
  });
  const server = await app.listen(port);
  return { url, server };
}

/** Signs `login` in through the OAuth stand-in, as a browser would; returns the session cookie. */
export async function signIn(gh: GitHubServer, url: string, login = 'alice'): Promise<string> {
  const start = await fetch(`${url}/auth/login`, { redirect: 'manual' });
  const state = start.headers
    .getSetCookie()
    .find((c) => c.startsWith('housecat_oauth_state='))!
    .split(';')[0]!;
  gh.signInAs(login);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = await fetch(authorize.headers.get('location')!, {
    redirect: 'manual',
    headers: { cookie: state },
  });
  return callback.headers
    .getSetCookie()
    .find((c) => c.startsWith('housecat_session='))!
    .split(';')[0]!;
}
