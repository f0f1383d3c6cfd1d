/**
 * Recognises addresses a monitoring browser must not reach: loopback, private, link-local, CGNAT,
 * unique-local, multicast, reserved and cloud-metadata addresses, and the names that always mean
 * "this machine" or "the cloud metadata service". Pure: no DNS here (see adapters/net for that).
 *
 * IP literals are expected in the canonical form WHATWG URL parsing produces (`2852039166`,
 * `0xa9fea9fe` and `0251.0376.0251.0376` all become `169.254.169.254`); {@link canonicalHost}
 * applies that parsing to anything else.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** IPv4 ranges that are not the public internet, with a name a person recognises. */
const IPV4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local / cloud metadata (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
];

/** IPv6 ranges that are not the public internet. Embedded IPv4 forms are checked separately. */
const IPV6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified (::)'],
  ['::1', 128, 'loopback (::1)'],
  ['100::', 64, 'discard (100::/64)'],
  ['2001::', 32, 'Teredo (2001::/32)'],
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
  ['64:ff9b:1::', 48, 'local NAT64 (64:ff9b:1::/48)'],
  ['fc00::', 7, 'unique-local (fc00::/7)'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['fec0::', 10, 'site-local (fec0::/10)'],
  ['ff00::', 8, 'multicast (ff00::/8)'],
];

/** One BlockList per range (built on first use), so a match can be named. */
type Ranges = { v4: [BlockList, string][]; v6: [BlockList, string][] };
let ranges: Ranges | undefined;

function build(table: [string, number, string][], family: 'ipv4' | 'ipv6'): [BlockList, string][] {
  return table.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return [list, label];
  });
}

function matchRange(ip: string, family: 'ipv4' | 'ipv6'): string | null {
  if (!ranges) ranges = { v4: build(IPV4_RANGES, 'ipv4'), v6: build(IPV6_RANGES, 'ipv6') };
  for (const [list, label] of family === 'ipv4' ? ranges.v4 : ranges.v6) {
    if (list.check(ip, family)) return label;
  }
  return null;
}

/**
 * Names that always mean "this machine" or a cloud metadata service, whatever DNS says.
 * `*.localhost` is handled by suffix (RFC 6761: it must resolve to loopback).
 */
const BLOCKED_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

function ipv4Range(ip: string): string | null {
  return matchRange(ip, 'ipv4');
}

/** Expands an IPv6 address into its eight 16-bit groups (handles `::` and a dotted IPv4 tail). */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const parts = dotted[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = parts;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.map((g) => Number.parseInt(g, 16));
}

function v4FromGroups(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated "compatible")
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    return v4FromGroups(g6, g7);
  }
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix): reaches the embedded IPv4 address.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return v4FromGroups(g6, g7);
  }
  // 2002:AABB:CCDD::/48 (6to4)
  if (g0 === 0x2002 && g1 !== undefined && g2 !== undefined) return v4FromGroups(g1, g2);
  return null;
}

/**
 * Why an IP address is not public, or `null` when it is a public address. Accepts IPv4, IPv6 with or
 * without brackets. Anything that is not an IP literal returns `null` (names are not judged here).
 */
export function privateAddressReason(address: string): string | null {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(ip)) return ipv4Range(ip);
  if (!isIPv6(ip)) return null;
  const groups = ipv6Groups(ip);
  if (!groups) return 'unparseable IPv6 address';
  const own = matchRange(ip, 'ipv6');
  if (own) return own;
  const v4 = embeddedIpv4(groups);
  if (v4 === null) return null;
  const inner = ipv4Range(v4);
  return inner ? `${inner}, embedded in IPv6 ${ip}` : null;
}

/**
 * Why a host (as WHATWG URL gives it: lowercase, IPv4 canonical, IPv6 in brackets) is not a public
 * destination, or `null`. Covers IP literals and the reserved names (`localhost`, `*.localhost`,
 * cloud metadata names). A public-looking name may still resolve to a private address: that is
 * checked with DNS in adapters/net.
 */
export function privateHostReason(host: string): string | null {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (BLOCKED_NAMES.has(name)) return `reserved name "${name}" (this machine or a cloud metadata service)`;
  if (name.endsWith('.localhost')) return `reserved name "${name}" (*.localhost is always this machine)`;
  return privateAddressReason(name);
}

/**
 * Parses a bare host (`EXAMPLE.com.`, `2852039166`, `[::1]`, `host:8080`) the way a browser would
 * and returns its canonical hostname and port (`''` when none), or `null` when it is not a valid host.
 */
export function canonicalHost(host: string): { hostname: string; port: string } | null {
  if (host === '' || /[/?#@\s\\]/.test(host)) return null;
  try {
    const url = new URL(`http://${host}`);
    const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
    if (hostname === '') return null;
    return { hostname, port: url.port };
  } catch {
    return null;
  }
}
