/**
 * The bot's settings, read from HouseCat's environment (src/adapters/env.ts). Every missing or bad
 * variable is reported at once, with what to set.
 */
import { readFileSync } from 'node:fs';
import type { HouseCatEnv } from '../adapters/env.js';
import { ConfigError } from '../core/errors.js';

export interface BotConfig {
  appId: string;
  /** PEM of the GitHub App's private key. */
  privateKey: string;
  webhookSecret: string;
  /** Public base URL of the app, no trailing slash: signatures are checked for `{publicUrl}/api/callback/{id}`. */
  publicUrl: string;
  signingKeys: { current: string; next: string };
  /** GitHub REST API base URL (GitHub Enterprise Server), unset for github.com. */
  githubApiUrl?: string;
  port: number;
  /**
   * The dashboard's Sign in with GitHub (the App's own OAuth credentials). Unset when neither
   * GITHUB_CLIENT_ID nor GITHUB_CLIENT_SECRET is set: the app then runs without a dashboard.
   */
  oauth?: { clientId: string; clientSecret: string };
  /**
   * HOUSECAT_SESSION_SECRET, split on commas: the dashboard's sealing secrets (the first seals, all
   * open: rotation). Unset: one key derived from the App's private key (see sessionSecretsOf).
   */
  sessionSecrets?: string[];
}

/**
 * The secrets that seal dashboard sessions and sign-in cookies: HOUSECAT_SESSION_SECRET when set,
 * otherwise the App's private key, which only the app holds (never the repositories that sync, nor
 * Redis). HKDF derives the actual keys from either.
 */
export function sessionSecretsOf(config: Pick<BotConfig, 'sessionSecrets' | 'privateKey'>): string[] {
  return config.sessionSecrets && config.sessionSecrets.length > 0
    ? config.sessionSecrets
    : [config.privateKey];
}

/** What the start-up log says when the dashboard is off. */
export const NO_DASHBOARD =
  'dashboard off: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (GitHub App settings → General → Client ID, "Generate a new client secret") to turn on Sign in with GitHub; webhooks and QStash callbacks run without it';

/** Reads the bot's configuration; throws ConfigError naming every variable to fix. */
export function readBotConfig(
  env: HouseCatEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): BotConfig {
  const problems: string[] = [];
  const need = (name: keyof HouseCatEnv, what: string): string => {
    const value = env[name];
    if (!value) problems.push(`${name} is not set: ${what}`);
    return value ?? '';
  };
  const appId = need('APP_ID', "the GitHub App's id (App settings → General → App ID)");
  if (appId && !/^\d+$/.test(appId)) problems.push(`APP_ID is "${appId}": it must be the numeric App ID`);
  const privateKey = privateKeyOf(env, readFile, problems);
  const webhookSecret = need('WEBHOOK_SECRET', 'the webhook secret set in the App settings');
  const publicUrlRaw = need(
    'HOUSECAT_PUBLIC_URL',
    "the app's public base URL (e.g. https://housecat.example.com), the same one `housecat sync` schedules",
  );
  const publicUrl = publicUrlRaw ? publicUrlOf(publicUrlRaw, problems) : '';
  const current = need('QSTASH_CURRENT_SIGNING_KEY', 'from the Upstash console → QStash → Signing keys');
  const next = need('QSTASH_NEXT_SIGNING_KEY', 'from the Upstash console → QStash → Signing keys');
  // Redis is checked here too (the store is built later), so one attempt lists every missing setting.
  checkRedis(env, problems);
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT is "${env.PORT}": it must be a port number`);
  const clientId = env.GITHUB_CLIENT_ID;
  const clientSecret = env.GITHUB_CLIENT_SECRET;
  const halfOAuth = halfPair(['GITHUB_CLIENT_ID', clientId], ['GITHUB_CLIENT_SECRET', clientSecret]);
  if (halfOAuth) {
    problems.push(
      `${halfOAuth.unset} is not set, but ${halfOAuth.set} is: set both for the dashboard (GitHub App settings → General → Client ID and client secrets), or neither to run without it`,
    );
  }
  const sessionSecrets = sessionSecretsFrom(env, problems);
  if (problems.length > 0) {
    throw new ConfigError(`The HouseCat app cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const config: BotConfig = {
    appId,
    privateKey,
    webhookSecret,
    publicUrl,
    signingKeys: { current, next },
    port,
  };
  if (clientId && clientSecret) config.oauth = { clientId, clientSecret };
  if (sessionSecrets.length > 0) config.sessionSecrets = sessionSecrets;
  if (env.GHE_HOST) config.githubApiUrl = `${env.GHE_PROTOCOL ?? 'https'}://${env.GHE_HOST}/api/v3`;
  return config;
}

/** The App's private key: PRIVATE_KEY (with `\n` escapes), else the file at PRIVATE_KEY_PATH. */
function privateKeyOf(env: HouseCatEnv, readFile: (path: string) => string, problems: string[]): string {
  let privateKey = env.PRIVATE_KEY?.replace(/\\n/g, '\n') ?? '';
  if (!privateKey && env.PRIVATE_KEY_PATH) {
    try {
      privateKey = readFile(env.PRIVATE_KEY_PATH);
    } catch (error) {
      problems.push(
        `PRIVATE_KEY_PATH is "${env.PRIVATE_KEY_PATH}" but the file cannot be read: ${(error as Error).message}`,
      );
    }
  } else if (!privateKey) {
    problems.push(
      'PRIVATE_KEY (the PEM text) or PRIVATE_KEY_PATH (a .pem file) is not set: generate a private key in the App settings',
    );
  }
  if (privateKey && !privateKey.includes('PRIVATE KEY-----')) {
    problems.push('the private key is not a PEM key (it should start with -----BEGIN RSA PRIVATE KEY-----)');
  }
  return privateKey;
}

/** HOUSECAT_PUBLIC_URL without its trailing slashes, when it is an http(s) URL. */
function publicUrlOf(raw: string, problems: string[]): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return raw.replace(/\/+$/, '');
  } catch {
    problems.push(
      `HOUSECAT_PUBLIC_URL is "${raw}": it must be an http(s) URL like https://housecat.example.com`,
    );
    return '';
  }
}

/** A Redis is configured: Upstash's REST URL and token (both), or REDIS_URL. */
function checkRedis(env: HouseCatEnv, problems: string[]): void {
  const restUrl = env.UPSTASH_REDIS_REST_URL;
  const restToken = env.UPSTASH_REDIS_REST_TOKEN;
  if (restUrl === undefined && restToken === undefined && env.REDIS_URL === undefined) {
    problems.push(
      'no Redis is configured: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (Upstash console → your database → REST API), or REDIS_URL for a plain Redis',
    );
    return;
  }
  const half = halfPair(['UPSTASH_REDIS_REST_URL', restUrl], ['UPSTASH_REDIS_REST_TOKEN', restToken]);
  if (half)
    problems.push(`${half.unset} is not set, but ${half.set} is: set both (from the Upstash console)`);
}

/** Of two settings that go together, the one set and the one missing; null when both or neither are set. */
function halfPair(
  [aName, a]: [string, string | undefined],
  [bName, b]: [string, string | undefined],
): { set: string; unset: string } | null {
  if ((a === undefined) === (b === undefined)) return null;
  return a === undefined ? { set: bName, unset: aName } : { set: aName, unset: bName };
}

/** HOUSECAT_SESSION_SECRET split on commas; each must be long enough to be random. */
function sessionSecretsFrom(env: HouseCatEnv, problems: string[]): string[] {
  const sessionSecrets = (env.HOUSECAT_SESSION_SECRET ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (sessionSecrets.some((x) => x.length < 32)) {
    problems.push(
      'HOUSECAT_SESSION_SECRET holds a secret shorter than 32 characters: use random ones (openssl rand -base64 32), comma-separated, newest first',
    );
  }
  return sessionSecrets;
}
