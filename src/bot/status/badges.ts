/**
 * Badges of a public test, made with badge-maker, and the same content as shields.io endpoint JSON
 * (https://shields.io/badges/endpoint-badge). Pure: data in, SVG or JSON out. A test that does not
 * exist and a test that is not public get the very same grey "unknown" badge.
 */
import { makeBadge } from 'badge-maker';
import type { BadgeStatus, TestView, WindowName } from '../../core/status/view.js';
import { formatUptime } from '../../web/html.js';

export const BADGE_KINDS = [
  'status',
  'uptime-24h',
  'uptime-7d',
  'uptime-30d',
  'response-time-24h',
  'response-time-7d',
  'response-time-30d',
] as const;
export type BadgeKind = (typeof BADGE_KINDS)[number];

export interface BadgeContent {
  label: string;
  message: string;
  color: string;
}

const WINDOWS: Record<string, WindowName> = { '24h': 'h24', '7d': 'd7', '30d': 'd30' };

const STATUS_COLORS: Record<BadgeStatus, string> = {
  passing: 'brightgreen',
  failing: 'red',
  incident: 'orange',
  unknown: 'lightgrey',
};

export function isBadgeKind(kind: string): kind is BadgeKind {
  return (BADGE_KINDS as readonly string[]).includes(kind);
}

function labelOf(kind: BadgeKind): string {
  if (kind === 'status') return 'status';
  const [, window] = /-(\d+[hd])$/.exec(kind) ?? [];
  return kind.startsWith('uptime') ? `uptime ${window}` : `response time ${window}`;
}

function uptimeColor(uptime: number): string {
  if (uptime >= 0.999) return 'brightgreen';
  if (uptime >= 0.99) return 'green';
  if (uptime >= 0.95) return 'yellowgreen';
  if (uptime >= 0.9) return 'yellow';
  if (uptime >= 0.8) return 'orange';
  return 'red';
}

/** The grey badge for a test nobody may see (or that does not exist): it depends on the kind only. */
export function unknownBadge(kind: BadgeKind): BadgeContent {
  return { label: labelOf(kind), message: 'unknown', color: 'lightgrey' };
}

/** What a badge of a public test says. */
export function badgeContent(kind: BadgeKind, test: Pick<TestView, 'badge' | 'windows'>): BadgeContent {
  const label = labelOf(kind);
  if (kind === 'status') return { label, message: test.badge, color: STATUS_COLORS[test.badge] };
  const window = WINDOWS[kind.slice(kind.lastIndexOf('-') + 1)] ?? 'h24';
  const summary = test.windows[window];
  if (kind.startsWith('uptime')) {
    if (summary.uptime === null) return { label, message: 'no data', color: 'lightgrey' };
    return { label, message: formatUptime(summary.uptime), color: uptimeColor(summary.uptime) };
  }
  // Percentiles are bucket upper edges: "p95 ≤500ms" says exactly what is known.
  if (summary.p95Ms === null) return { label, message: 'no data', color: 'lightgrey' };
  return { label, message: `p95 ≤${summary.p95Ms}ms`, color: 'blue' };
}

export function badgeSvg(content: BadgeContent): string {
  return makeBadge({ label: content.label, message: content.message, color: content.color });
}

/** shields.io endpoint JSON: `https://img.shields.io/endpoint?url=…/status.json`. */
export function badgeJson(content: BadgeContent): string {
  return JSON.stringify({ schemaVersion: 1, ...content });
}
