/**
 * Test targets on private or loopback addresses. The app (and `housecat run` without the flag)
 * refuses them at run time, so `validate` and `sync` warn when the file is read: a user finds out
 * at sync time, not from the first scheduled run at 3 a.m. A warning, not a problem: the same file
 * is fine for local development with HOUSECAT_ALLOW_PRIVATE_NETWORK=1.
 *
 * Only what the file itself says is judged (IP literals in every encoding a browser accepts,
 * `localhost`, `*.localhost`, cloud metadata names); a public name that resolves to a private
 * address is found at run time by the DNS guard.
 */
import { canonicalHost, privateHostReason } from '../net/private-address.js';
import type { PathSegment } from './locate.js';
import type { RawFile } from './schema.js';

/** A private target at a field path of the file. */
export interface PrivateTarget {
  path: PathSegment[];
  message: string;
}

const CONSEQUENCE = 'the app refuses these unless HOUSECAT_ALLOW_PRIVATE_NETWORK=1';

function urlReason(raw: string): string | null {
  try {
    const { hostname } = new URL(raw.trim());
    return privateHostReason(hostname);
  } catch {
    return null; // an unparseable URL is reported as a problem by the schema
  }
}

function hostReason(entry: string): string | null {
  const trimmed = entry.trim().toLowerCase();
  // `*.localhost` covers only names below it: judge one of them.
  const host = trimmed.startsWith('*.') ? `x.${trimmed.slice(2)}` : trimmed;
  const canonical = canonicalHost(host);
  return canonical ? privateHostReason(canonical.hostname) : null;
}

function warning(value: string, reason: string): string {
  return `${JSON.stringify(value)} points at a private or loopback address — ${reason}; ${CONSEQUENCE} (use a public URL for scheduled runs)`;
}

/** Every test URL and allowed host of a valid file that points at a private or loopback address. */
export function privateTargets(file: RawFile): PrivateTarget[] {
  const found: PrivateTarget[] = [];
  const hosts = (list: string[] | undefined, at: PathSegment[]) => {
    list?.forEach((entry, j) => {
      const reason = hostReason(entry);
      if (reason) found.push({ path: [...at, 'allowed_hosts', j], message: warning(entry, reason) });
    });
  };
  hosts(file.defaults?.allowed_hosts, ['defaults']);
  file.tests.forEach((test, i) => {
    const reason = urlReason(test.url);
    if (reason) found.push({ path: ['tests', i, 'url'], message: warning(test.url, reason) });
    hosts(test.allowed_hosts, ['tests', i]);
  });
  return found;
}
