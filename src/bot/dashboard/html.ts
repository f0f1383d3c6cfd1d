/**
 * The dashboard's small HTML components, rendered on the server. Every value is escaped here; no
 * inline script or style (the Content-Security-Policy forbids them): charts are SVG with attributes.
 */

import type { StoredResult } from '../../core/ports.js';
import type { TestSummary } from '../../core/status/dashboard-summary.js';
import type { RunStatus } from '../../core/types.js';
import { escapeHtml as esc, formatMsExact as ms, formatClock as when } from '../../web/html.js';

// The web layer's one set of helpers, under the short names the dashboard's templates use.
export { esc, ms, when };

export interface Viewer {
  login: string;
  csrf: string;
}

/** The page around `body`: header with the person and a sign-out form, one h1, one main. */
export function layout(
  title: string,
  body: string,
  viewer?: Viewer,
  crumbs: [string, string][] = [],
  stylesheets: string[] = [],
): string {
  const nav = crumbs.length
    ? `<nav aria-label="Breadcrumb"><ol class="crumbs">${crumbs
        .map(([href, label]) => `<li><a href="${esc(href)}">${esc(label)}</a></li>`)
        .join('')}</ol></nav>`
    : '';
  const who = viewer
    ? `<form method="post" action="/auth/logout" class="signout"><span>Signed in as <strong>${esc(viewer.login)}</strong></span> <input type="hidden" name="csrf" value="${esc(viewer.csrf)}"><button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · HouseCat</title>${stylesheets.map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join('')}<link rel="stylesheet" href="/assets/dashboard.css"><script src="/assets/live.js" defer></script></head>
<body><header class="top"><a href="/" class="brand">HouseCat</a>${who}</header>
<main>${nav}<h1>${esc(title)}</h1>${body}</main></body></html>`;
}

const LABEL: Record<RunStatus | 'none', string> = {
  passed: 'passing',
  failed: 'failing',
  error: 'inconclusive',
  skipped: 'skipped',
  none: 'no runs yet',
};

/** State as words and a class (never colour alone). */
export function statusBadge(status: RunStatus | 'none'): string {
  return `<span class="status status-${esc(status)}">${esc(LABEL[status])}</span>`;
}

/** p50 response times per 6-hour slot (from the rollups) as a line over time. */
export function responseChart(points: { at: number; ms: number }[], summary: TestSummary): string {
  const width = 600;
  const height = 120;
  const label = `p50 response time per 6 hours over the last 7 days (${points.length} slots with runs); p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)} (last 24 h)`;
  if (points.length < 2) return `<p>${esc(label)}</p>`;
  const t0 = points[0]?.at ?? 0;
  const t1 = points.at(-1)?.at ?? 1;
  const top = Math.max(...points.map((p) => p.ms), 1);
  const xy = points
    .map(
      (p) =>
        `${(((p.at - t0) / Math.max(1, t1 - t0)) * width).toFixed(1)},${(height - (p.ms / top) * height).toFixed(1)}`,
    )
    .join(' ');
  return `<figure><svg class="chart" role="img" aria-label="${esc(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><polyline fill="none" stroke="#0969da" stroke-width="2" points="${xy}"/></svg><figcaption>${esc(label)}; highest ${ms(top)}</figcaption></figure>`;
}

export function sourceOf(result: StoredResult): string {
  const s = result.source;
  if (!s) return '—';
  switch (s.kind) {
    case 'schedule':
      return 'schedule';
    case 'pull_request':
      return s.pr ? `PR #${s.pr}` : 'PR';
    case 'manual':
      return 'manual';
    case 'cli':
      return 'CLI';
    case 'ci':
      return 'CI';
    default:
      return String(s.kind);
  }
}
