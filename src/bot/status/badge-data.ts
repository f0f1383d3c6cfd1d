/**
 * A badge from the few figures one Redis command gives (StatusReader.readTestBadge): the newest
 * conclusive run, the incident status and one window's rollups summed inside Redis. It says exactly
 * what {@link badgeContent} says of the whole test view, which reads 720 hours for a 1 KB badge.
 */
import type { TestBadgeData } from '../../core/ports.js';
import { summarizeHours } from '../../core/status/rollup.js';
import { type BadgeStatus, WINDOW_HOURS } from '../../core/status/view.js';
import { type BadgeContent, type BadgeKind, badgeContent } from './badges.js';

const HOURS: Record<string, number> = {
  '24h': WINDOW_HOURS.h24,
  '7d': WINDOW_HOURS.d7,
  '30d': WINDOW_HOURS.d30,
};

/** Hours of the window a badge shows (`uptime-7d`: 168); null for `status`, which needs none. */
export function badgeWindowHours(kind: BadgeKind): number | null {
  if (kind === 'status') return null;
  return HOURS[kind.slice(kind.lastIndexOf('-') + 1)] ?? WINDOW_HOURS.h24;
}

/** What the badge of a public test says, from its badge data. */
export function badgeContentOf(kind: BadgeKind, data: TestBadgeData): BadgeContent {
  const state =
    data.lastConclusive === null ? 'unknown' : data.lastConclusive === 'passed' ? 'passing' : 'failing';
  const active = data.incident !== null && data.incident !== 'resolved';
  const badge: BadgeStatus = active ? 'incident' : state;
  const window = data.window
    ? summarizeHours(new Map([[0, data.window]]), 0, 0)
    : summarizeHours(new Map(), 0, 0);
  // The one window asked for stands in for all three: badgeContent reads only the kind's own.
  return badgeContent(kind, { badge, windows: { h24: window, d7: window, d30: window } });
}
