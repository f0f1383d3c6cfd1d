/**
 * The DNS half of the private-network rule: a public-looking name (`evil.example` → 169.254.169.254)
 * must be refused too. Every address the name resolves to is checked, so a name with one public and
 * one private record is refused.
 *
 * Whoever connects after this check must connect to one of the returned `addresses`, never resolve
 * the name again: otherwise a DNS server that answers differently a moment later (DNS rebinding)
 * wins the race. The browser's guard proxy does this (`AddressGuard.addressFor`).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HouseCatError } from '../../core/errors.js';
import { PRIVATE_NETWORK_FLAG } from '../../core/net/host-policy.js';
import { canonicalHost, privateHostReason } from '../../core/net/private-address.js';

/** A destination was refused because it is (or resolves to) a private-network address. */
export class PrivateAddressError extends HouseCatError {
  override name = 'PrivateAddressError';
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface AddressGuardOptions {
  allowPrivateNetwork: boolean;
  /** DNS resolution (default: the OS resolver, all addresses) — replaceable for tests. */
  lookup?: LookupAll;
  /** How long a verdict per name is reused. Default 30 s. */
  cacheMs?: number;
  now?: () => number;
}

export type AddressDecision = { allowed: true; addresses: string[] } | { allowed: false; reason: string };

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Checks one hostname (as in a URL: `myapp.com`, `127.0.0.1`, `[::1]`). A name that does not resolve
 * is allowed here: there is nothing to connect to, and the browser reports the DNS failure as the
 * site's problem.
 */
export async function checkPublicAddress(
  hostname: string,
  options: Omit<AddressGuardOptions, 'cacheMs' | 'now'>,
): Promise<AddressDecision> {
  const host = canonicalHost(hostname)?.hostname ?? hostname.toLowerCase();
  if (options.allowPrivateNetwork) return { allowed: true, addresses: [] };
  const literal = privateHostReason(host);
  if (literal) {
    return {
      allowed: false,
      reason: `${host} is a private-network address (${literal}); set ${PRIVATE_NETWORK_FLAG}=1 to allow it`,
    };
  }
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare)) return { allowed: true, addresses: [bare] };
  let records: { address: string }[];
  try {
    records = await (options.lookup ?? defaultLookup)(bare);
  } catch {
    return { allowed: true, addresses: [] };
  }
  for (const { address } of records) {
    const why = privateHostReason(address);
    if (why) {
      return {
        allowed: false,
        reason: `${host} resolves to ${address}, a private-network address (${why}); set ${PRIVATE_NETWORK_FLAG}=1 to allow it`,
      };
    }
  }
  return { allowed: true, addresses: records.map((r) => r.address) };
}

/** Throws {@link PrivateAddressError} when the hostname is or resolves to a private address. */
export async function assertPublicAddress(
  hostname: string,
  options: Omit<AddressGuardOptions, 'cacheMs' | 'now'> = { allowPrivateNetwork: false },
): Promise<void> {
  const decision = await checkPublicAddress(hostname, options);
  if (!decision.allowed) throw new PrivateAddressError(decision.reason);
}

export interface AddressGuard {
  /** Cached {@link checkPublicAddress} for the hostname of `url` (non-host URLs are allowed). */
  checkUrl(url: string): Promise<{ allowed: true } | { allowed: false; reason: string }>;
  /**
   * The cached decision for one hostname with the vetted addresses, so a caller can connect to an
   * address that was checked instead of resolving the name again (DNS rebinding).
   */
  addressFor(hostname: string): Promise<AddressDecision>;
}

/**
 * A per-context guard that resolves each hostname once (verdicts cached `cacheMs`), for a browser
 * route handler that sees hundreds of subresource requests to the same few hosts.
 */
export function createAddressGuard(options: AddressGuardOptions): AddressGuard {
  const cacheMs = options.cacheMs ?? 30_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; decision: Promise<AddressDecision> }>();
  const decide = (host: string): Promise<AddressDecision> => {
    let entry = cache.get(host);
    if (!entry || now() - entry.at > cacheMs) {
      entry = { at: now(), decision: checkPublicAddress(host, options) };
      cache.set(host, entry);
    }
    return entry.decision;
  };
  return {
    addressFor: (hostname) => decide(hostname),
    async checkUrl(raw) {
      if (options.allowPrivateNetwork) return { allowed: true };
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { allowed: false, reason: `"${raw.slice(0, 200)}" is not a valid URL` };
      }
      if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return { allowed: true };
      const decision = await decide(url.hostname);
      return decision.allowed ? { allowed: true } : decision;
    },
  };
}
