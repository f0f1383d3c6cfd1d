/**
 * Base-URL override for preview deployments: the tests are written against production, a pull
 * request is checked against its preview, so scheme, host and port change while path and query stay.
 */
import { ConfigError } from '../errors.js';
import type { TestDefinition } from '../types.js';

/**
 * Parses a `--base-url`/`base-url` value. Only the origin is used; a path in the value is refused
 * because "keep the test's path" and "prepend this path" cannot both be meant.
 */
export function parseBaseUrl(value: string, where = '--base-url'): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(
      `${where}: ${JSON.stringify(value)} is not a URL. Give an origin such as https://preview-123.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: ${JSON.stringify(value)} must start with http:// or https://`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ConfigError(
      `${where}: ${JSON.stringify(value)} has a path, query or fragment; only scheme, host and port are replaced. ` +
        `Give just the origin, e.g. ${url.origin}`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(
      `${where}: credentials in the URL are not supported; use the test's secrets instead`,
    );
  }
  return url;
}

/** Replaces scheme, host and port of `url` with those of `base`, keeping path, query and fragment. */
export function rebaseUrl(url: string, base: URL): string {
  const target = new URL(url);
  target.protocol = base.protocol;
  target.host = base.host; // host includes the port; an empty port means the scheme's default
  target.port = base.port;
  return target.toString();
}

/**
 * The test as it runs against `base`: the URL moves, and an allowed host equal to the test URL's
 * old host moves with it (the old host itself stops being reachable: it is production).
 */
export function applyBaseUrl(test: TestDefinition, base: URL): TestDefinition {
  const oldHost = new URL(test.url).host;
  const allowedHosts = test.allowedHosts.map((h) =>
    h.toLowerCase() === oldHost.toLowerCase() ? base.host : h,
  );
  return { ...test, url: rebaseUrl(test.url, base), allowedHosts: [...new Set(allowedHosts)] };
}

/**
 * The test as an agent runs it: rebased on `baseUrl` (an origin, as the runner hands it to agents)
 * when one is given. Idempotent: the runner usually rebased the test already, and doing it again
 * with the same origin changes nothing.
 */
export function testAtBaseUrl(test: TestDefinition, baseUrl: string | undefined): TestDefinition {
  return baseUrl ? applyBaseUrl(test, parseBaseUrl(baseUrl, 'baseUrl')) : test;
}
