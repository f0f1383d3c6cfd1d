/**
 * Rules for the URLs and host names a definitions file may contain. Each returns a message or null.
 */

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A test URL must be plain http(s), parse, have a host and carry no credentials. */
export function urlProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return 'the URL is empty — write the full address, e.g. "https://myapp.com/login"';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    return `"${scheme}:" URLs are not allowed — only http:// and https:// pages can be tested`;
  }
  if (!scheme) return `"${value}" is missing its scheme — write "https://${value.replace(/^\/+/, '')}"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a valid URL — check for spaces or stray characters`;
  }
  if (!url.hostname) return `"${value}" has no host name`;
  if (url.username || url.password) {
    return 'the URL contains a user name or password — remove it and list the password under `secrets:` instead';
  }
  if (value.length > 2048) return 'the URL is longer than 2048 characters';
  return null;
}

/**
 * An `allowed_hosts` entry: a host name (optionally `*.` for every subdomain) or an IP literal,
 * optionally with `:port`. No scheme, no path.
 */
export function hostProblem(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  if (value.includes('://') || value.includes('/')) {
    return `"${raw}" is a URL, not a host name — write just the host, e.g. "auth.myapp.com"`;
  }
  const match = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return `"${raw}" is not a host name (e.g. "auth.myapp.com" or "*.myapp.com")`;
  const [, wildcard, host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `port ${port} must be 1-65535`;
  if (host === undefined) return `"${raw}" is not a host name`;
  if (host.startsWith('[')) return wildcard ? `"${raw}": "*." cannot prefix an IP address` : null;
  const labels = host.replace(/\.$/, '').split('.');
  if (host.length > 253 || labels.some((label) => !HOST_LABEL.test(label))) {
    return `"${raw}" is not a host name — use letters, digits, hyphens and dots (e.g. "auth.myapp.com")`;
  }
  return null;
}

/** Environment variable names HouseCat itself uses: a test may never have the agent type them. */
export const RESERVED_SECRET_NAMES = new Set([
  'ANTHROPIC_API_KEY',
  'UPSTASH_REDIS_REST_TOKEN',
  'UPSTASH_REDIS_REST_URL',
  'REDIS_URL',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
  'TINYFISH_API_KEY',
  'GITHUB_TOKEN',
  'PRIVATE_KEY',
  'WEBHOOK_SECRET',
  'GITHUB_CLIENT_SECRET',
  'HOUSECAT_SESSION_SECRET',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
]);

/** A secret name must be an environment variable name and not one of HouseCat's own credentials. */
export function secretNameProblem(name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return `"${name}" is not an environment variable name — use letters, digits and underscores, e.g. "DEMO_PASSWORD"`;
  }
  if (RESERVED_SECRET_NAMES.has(name.toUpperCase())) {
    return `"${name}" is one of HouseCat's own credentials and can never be typed into a page — use a separate variable for the test account`;
  }
  return null;
}
