/**
 * The one set of HTML helpers of the web layer, used by the status page and the dashboard alike:
 * escaping, and the few number and time formats people read on a page. Time spans are formatted
 * like the incident reports on GitHub (core/incidents/render.ts), from one source (core/time.ts), so a page and its issue agree.
 */
import { formatTime, formatTimeSpan } from '../core/time.js';

export { formatTime, formatTimeSpan };

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value (null and undefined as empty) for HTML content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `99.95%`: two decimals at most, and 100% only when nothing failed. */
export function formatUptime(uptime: number | null): string {
  if (uptime === null) return '—';
  const pct = Math.floor(uptime * 10_000) / 100;
  return `${pct.toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** `≤ 500 ms` / `≤ 1.5 s`: a percentile reported at bucket resolution (an upper bound). */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `≤ ${ms} ms` : `≤ ${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** `2026-12-01 07:30:15 UTC`: a moment to the second (a run's start on the dashboard). */
export function formatClock(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** `340 ms`: a measured time, rounded to the millisecond; `—` when there is none. */
export function formatMsExact(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)} ms`;
}
