/**
 * The environment `housecat serve` needs to start against the suite's stand-ins: the real
 * redis-server under a fresh prefix, the GitHub stand-in's app credentials, and placeholder webhook
 * and QStash secrets (the serve tests never sign with them).
 */
import type { GitHubServer } from './github-server.js';
import { testRedisUrl } from './redis.js';

/**
 * `serve`'s required settings for `gh` under `prefix`; with `ghe`, Octokit is also pointed at the
 * GitHub stand-in (GHE_HOST/GHE_PROTOCOL) instead of api.github.com.
 */
export function serveEnv(
  gh: GitHubServer,
  prefix: string,
  options: { ghe?: boolean } = {},
): Record<string, string> {
  return {
    REDIS_URL: testRedisUrl(),
    HOUSECAT_REDIS_PREFIX: prefix,
    APP_ID: String(gh.appId),
    // One line, as a .env file or a CI secret holds it.
    PRIVATE_KEY: gh.privateKey.replace(/\n/g, '\\n'),
    WEBHOOK_SECRET: 'secret',
    HOUSECAT_PUBLIC_URL: 'https://housecat.example.test/',
    QSTASH_CURRENT_SIGNING_KEY: 'a',
    QSTASH_NEXT_SIGNING_KEY: 'b',
    ...(options.ghe ? { GHE_HOST: new URL(gh.url).host, GHE_PROTOCOL: 'http' } : {}),
  };
}
