/**
 * Text helpers shared by the status page and (later) the dashboard: escaping and the few number and
 * time formats people read on a page.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
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

/** `2026-12-01 07:30 UTC`. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `3 h 20 min`, `2 d 4 h`, `45 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}
