/**
 * Where a test's browser may go. Pure: the BrowserPool asks {@link HostPolicy.check} for every
 * request (navigations, redirects, popups, frames, subresources, websockets), the checks backend for
 * its main document, and the DNS guard in adapters/net adds "this name must not resolve to a private
 * address".
 *
 * The rules (documented for users in docs/checks-and-network.md):
 *
 * 1. Schemes: `http`, `https`, `ws`, `wss` are checked against the hosts below. `data:`, `blob:` and
 *    `about:` never leave the browser and are allowed. Everything else (`file:`, `chrome:`,
 *    `javascript:`, `ftp:`, ...) is refused.
 * 2. Hosts: the test URL's host, plus each `allowed_hosts` entry — an exact host (`auth.myapp.com`),
 *    or a wildcard `*.myapp.com` matching any subdomain at any depth but NOT `myapp.com` itself
 *    (list both when you want both). Matching is case-insensitive and ignores a trailing dot.
 * 3. Ports: an entry without a port (and a test URL on its scheme's default port) allows only the
 *    default web ports 80 and 443, so the usual http→https redirect works and nothing else on the
 *    machine does. An entry with a port (`host:8443`, or a test URL such as
 *    `http://127.0.0.1:3000`) allows exactly that port. Two servers on one address are therefore two
 *    different hosts, which is what keeps a page on `127.0.0.1:3000` from reaching `127.0.0.1:6379`.
 * 4. Private network: literal loopback, private, link-local, CGNAT, unique-local, multicast,
 *    reserved and metadata addresses — in every encoding a browser accepts (`2852039166`,
 *    `0xa9fea9fe`, `0251.0376.0251.0376`, `127.1`, `[::ffff:a9fe:a9fe]`, ...) — and the names
 *    `localhost`, `*.localhost` and the cloud metadata names are refused even when listed, unless
 *    `allowPrivateNetwork` (HOUSECAT_ALLOW_PRIVATE_NETWORK=1) is set.
 */
import { wildcardProblem } from '../config/run-rules.js';
import { ConfigError } from '../errors.js';
import { canonicalHost, privateHostReason } from './private-address.js';

export interface HostPolicyOptions {
  /** The URL the test starts at (after any base-URL override). Its host is always allowed. */
  url: string;
  /** The test's `allowed_hosts`: `host`, `host:port`, `*.domain` or `*.domain:port`. */
  allowedHosts: string[];
  /** HOUSECAT_ALLOW_PRIVATE_NETWORK: let requests reach loopback and private addresses. */
  allowPrivateNetwork: boolean;
}

export type HostDecision = { allowed: true } | { allowed: false; reason: string };

export interface HostPolicy {
  /** Decides one absolute URL. Never throws: a URL that cannot be parsed is refused. */
  check(url: string): HostDecision;
  /** Whether private-network destinations are allowed (the DNS guard reads this). */
  readonly allowPrivateNetwork: boolean;
  /** The allowed hosts as written in messages, e.g. `myapp.com, *.cdn.myapp.com, 127.0.0.1:3000`. */
  readonly description: string;
}

/** The environment variable that lifts the private-network rule; named in every refusal. */
export const PRIVATE_NETWORK_FLAG = 'HOUSECAT_ALLOW_PRIVATE_NETWORK';

const HOST_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
const WEB_PORTS = new Set(['80', '443']);

interface HostRule {
  /** Canonical hostname (for wildcards: the suffix after `*.`). */
  hostname: string;
  wildcard: boolean;
  /** Exact port, or undefined for "the default web ports 80 and 443". */
  port?: string;
  label: string;
}

function parseRule(entry: string, where: string): HostRule {
  let text = entry.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    // Be forgiving with `https://auth.myapp.com/`: take the host, keep the explicit port if any.
    try {
      const url = new URL(text);
      text = url.port ? `${url.hostname}:${url.port}` : url.hostname;
    } catch {
      throw new ConfigError(`${where}: "${entry}" is not a valid host. Write it like auth.myapp.com.`);
    }
  }
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  const host = canonicalHost(rest);
  if (!host || host.hostname.includes('*')) {
    throw new ConfigError(
      `${where}: "${entry}" is not a valid host. Write a host name such as auth.myapp.com, ` +
        'optionally with a port (auth.myapp.com:8443), or a wildcard such as *.myapp.com.',
    );
  }
  // The same rule validate applies (core/config/run-rules.ts), so a file validate accepts runs.
  const broad = wildcard ? (wildcardProblem(entry) ?? wildcardProblem(`*.${host.hostname}`)) : null;
  if (broad) throw new ConfigError(`${where}: ${broad}.`);
  const rule: HostRule = { hostname: host.hostname, wildcard, label: entry.trim() };
  if (host.port !== '') rule.port = host.port;
  return rule;
}

function hostMatches(rule: HostRule, hostname: string): boolean {
  return rule.wildcard ? hostname.endsWith(`.${rule.hostname}`) : hostname === rule.hostname;
}

function portMatches(rule: HostRule, port: string): boolean {
  return rule.port === undefined ? WEB_PORTS.has(port) : rule.port === port;
}

/** Shortens a URL for messages (no query, no fragment: they may carry tokens). */
function display(url: URL): string {
  return url.protocol === 'data:' || url.protocol === 'blob:' ? url.protocol : `${url.origin}${url.pathname}`;
}

/**
 * Builds the policy for one test. Throws ConfigError when the test URL or an allowed host cannot be
 * parsed (a definitions problem, reported before any browser starts).
 */
export function createHostPolicy(options: HostPolicyOptions): HostPolicy {
  let start: URL;
  try {
    start = new URL(options.url);
  } catch {
    throw new ConfigError(
      `The test URL "${options.url}" is not a valid absolute URL (e.g. https://myapp.com).`,
    );
  }
  if (start.protocol !== 'http:' && start.protocol !== 'https:') {
    throw new ConfigError(`The test URL "${options.url}" must start with http:// or https://.`);
  }
  const startHost = start.hostname.endsWith('.') ? start.hostname.slice(0, -1) : start.hostname;
  const startRule: HostRule = { hostname: startHost, wildcard: false, label: start.host };
  if (start.port !== '') startRule.port = start.port;
  const rules = [startRule, ...options.allowedHosts.map((h, i) => parseRule(h, `allowed_hosts[${i}]`))];
  const description = rules.map((r) => r.label).join(', ');

  function check(raw: string): HostDecision {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { allowed: false, reason: `"${raw.slice(0, 200)}" is not a valid URL` };
    }
    if (LOCAL_SCHEMES.has(url.protocol)) return { allowed: true };
    if (!HOST_SCHEMES.has(url.protocol)) {
      return { allowed: false, reason: `the ${url.protocol} scheme is not allowed (${display(url)})` };
    }
    const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
    const port = url.port || DEFAULT_PORTS[url.protocol] || '';
    const target = `${url.protocol}//${url.host}`;
    if (!options.allowPrivateNetwork) {
      const why = privateHostReason(hostname);
      if (why) {
        return {
          allowed: false,
          reason: `${target} is a private-network address (${why}); set ${PRIVATE_NETWORK_FLAG}=1 to allow it`,
        };
      }
    }
    const hostRules = rules.filter((r) => hostMatches(r, hostname));
    if (hostRules.length === 0) {
      return {
        allowed: false,
        reason: `${target} is not an allowed host (allowed: ${description}); add it to allowed_hosts if the test needs it`,
      };
    }
    if (!hostRules.some((r) => portMatches(r, port))) {
      return {
        allowed: false,
        reason: `${target} uses port ${port}, which is not allowed (allowed: ${description}); add "${hostname}:${port}" to allowed_hosts if the test needs it`,
      };
    }
    return { allowed: true };
  }

  return { check, allowPrivateNetwork: options.allowPrivateNetwork, description };
}
