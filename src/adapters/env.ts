/**
 * The one place HouseCat's settings are picked out of the environment. Entry points hand
 * `process.env` to {@link readEnv} (and {@link readSecrets}) once and pass the typed result down.
 * Besides the entry points handing it over, the only reader of `process.env` is findChromium's
 * default for PATH: the system's search path for a browser, not a HouseCat setting.
 */
import { ConfigError } from '../core/errors.js';

/** Every environment variable HouseCat understands. Values are strings as given, or undefined. */
export interface HouseCatEnv {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  REDIS_URL?: string;
  HOUSECAT_REDIS_PREFIX?: string;
  HOUSECAT_RETENTION_DAYS?: string;
  QSTASH_URL?: string;
  QSTASH_TOKEN?: string;
  QSTASH_CURRENT_SIGNING_KEY?: string;
  QSTASH_NEXT_SIGNING_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  HOUSECAT_MODEL?: string;
  TINYFISH_API_KEY?: string;
  TINYFISH_URL?: string;
  HOUSECAT_CHROMIUM?: string;
  HOUSECAT_ALLOW_PRIVATE_NETWORK?: string;
  HOUSECAT_PUBLIC_URL?: string;
  GITHUB_REPOSITORY?: string;
  GITHUB_TOKEN?: string;
  GITHUB_API_URL?: string;
  APP_ID?: string;
  PRIVATE_KEY?: string;
  PRIVATE_KEY_PATH?: string;
  WEBHOOK_SECRET?: string;
  PORT?: string;
  GHE_HOST?: string;
  GHE_PROTOCOL?: string;
}

const KEYS: (keyof HouseCatEnv)[] = [
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'REDIS_URL',
  'HOUSECAT_REDIS_PREFIX',
  'HOUSECAT_RETENTION_DAYS',
  'QSTASH_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'HOUSECAT_MODEL',
  'TINYFISH_API_KEY',
  'TINYFISH_URL',
  'HOUSECAT_CHROMIUM',
  'HOUSECAT_ALLOW_PRIVATE_NETWORK',
  'HOUSECAT_PUBLIC_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'APP_ID',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PATH',
  'WEBHOOK_SECRET',
  'PORT',
  'GHE_HOST',
  'GHE_PROTOCOL',
];

/** Picks HouseCat's variables out of an environment (default `process.env`); blank values count as unset. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): HouseCatEnv {
  const env: HouseCatEnv = {};
  for (const key of KEYS) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') env[key] = value.trim();
  }
  // A switch read wrongly fails open or closed without a word: refuse what it does not understand.
  if (env.HOUSECAT_ALLOW_PRIVATE_NETWORK !== undefined) switchValue(env.HOUSECAT_ALLOW_PRIVATE_NETWORK);
  return env;
}

const ON_WORDS = new Set(['1', 'true', 'yes', 'on']);
const OFF_WORDS = new Set(['0', 'false', 'no', 'off']);

/** Reads an on/off variable: 1/true/yes/on or 0/false/no/off, any case; anything else is a ConfigError. */
function switchValue(raw: string, name = 'HOUSECAT_ALLOW_PRIVATE_NETWORK'): boolean {
  const word = raw.trim().toLowerCase();
  if (ON_WORDS.has(word)) return true;
  if (OFF_WORDS.has(word)) return false;
  throw new ConfigError(
    `${name} is "${raw}": set it to 1 (or true, yes, on) to allow it, or 0 (false, no, off) or unset it to refuse`,
  );
}

/** True when private-network targets are allowed (local development and the test suite only). */
export function allowPrivateNetwork(env: HouseCatEnv): boolean {
  const raw = env.HOUSECAT_ALLOW_PRIVATE_NETWORK;
  return raw !== undefined && switchValue(raw);
}

/**
 * Reads the values of a test's `secrets:` names. Missing names are returned separately so the
 * caller can report which variable to set; values never leave the returned object.
 */
export function readSecrets(
  names: readonly string[],
  source: NodeJS.ProcessEnv = process.env,
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === '') missing.push(name);
    else values[name] = value;
  }
  return { values, missing };
}
