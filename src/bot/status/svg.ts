/**
 * Inline SVG for the status page, rendered on the server (no script, no library): the heartbeat
 * bar of the last runs and a response-time chart. Colours come from CSS classes, so the page's
 * light and dark schemes restyle them; each SVG carries a text alternative for screen readers.
 */

import type { HourPoint } from '../../core/status/view.js';
import type { RunStatus } from '../../core/types.js';
import { escapeHtml } from '../../web/html.js';

const BAR_W = 4;
const BAR_GAP = 2;
const BAR_H = 28;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A bar's title: when, how it ended, and why in short (works as a tooltip without script). */
function barTitle(beat: { status: RunStatus; at: number; note?: string }): string {
  const when = new Date(beat.at).toISOString().slice(0, 16).replace('T', ' ');
  const note = beat.note && beat.note !== beat.status ? ` (${beat.note})` : '';
  return `${when} UTC: ${STATUS_WORDS[beat.status]}${note}`;
}

const STATUS_WORDS: Record<RunStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'inconclusive',
  skipped: 'skipped',
};

/**
 * The last runs as bars, oldest left; empty slots (fewer runs than `slots`) are drawn faint, as one
 * path. Each run is its own rect with a title (time, status, short reason): the browser shows it as
 * a tooltip, no script needed; the whole bar's label sums it up for screen readers.
 */
export function heartbeatSvg(
  beats: readonly { status: RunStatus; at: number; note?: string }[],
  slots: number,
): string {
  const counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const b of beats) counts[b.status] += 1;
  const label =
    beats.length === 0
      ? 'No runs yet'
      : `Last ${plural(beats.length, 'run')}: ${counts.passed} passed, ${counts.failed} failed, ` +
        `${counts.error} inconclusive, ${counts.skipped} skipped; newest on the right`;
  const shown = beats.slice(-slots);
  const empty = Math.max(0, slots - shown.length);
  const x = (i: number) => i * (BAR_W + BAR_GAP);
  const faint = Array.from({ length: empty }, (_, i) => `M${x(i)} 0h${BAR_W}v${BAR_H}h-${BAR_W}z`).join('');
  const bars = shown.map(
    (b, i) =>
      `<rect class="hb-${b.status}" x="${x(empty + i)}" width="${BAR_W}" height="${BAR_H}"><title>${escapeHtml(barTitle(b))}</title></rect>`,
  );
  const width = slots * (BAR_W + BAR_GAP) - BAR_GAP;
  return (
    `<svg class="heartbeat" viewBox="0 0 ${width} ${BAR_H}" preserveAspectRatio="none" role="img" ` +
    `aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>` +
    `${faint ? `<path class="hb-none" d="${faint}"/>` : ''}${bars.join('')}</svg>`
  );
}

/** The heartbeat's colours in words (the page shows it once, above the tests). */
export function heartbeatLegend(): string {
  const items = (['passed', 'failed', 'error', 'skipped'] as const)
    .map((s) => `<li><span class="swatch sw-${s}" aria-hidden="true"></span>${STATUS_WORDS[s]}</li>`)
    .join('');
  return `<ul class="legend" aria-label="Heartbeat colours, one bar per run">${items}<li><span class="swatch sw-none" aria-hidden="true"></span>no run yet</li></ul>`;
}

const CHART_W = 300;
const CHART_H = 80;
/** Up to this many measured hours, each is drawn as a point with its own title. */
const MAX_DOTS = 48;

/** `≤ 700 ms` / `≤ 1.2 s`, as the figures above the chart. */
function msLabel(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** Polyline segments of consecutive measured hours; an hour without runs breaks the solid line. */
function segments(values: (number | null)[], x: (i: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) out.push(current.join(' '));
      current = [];
      return;
    }
    // Whole units of a 300 × 80 box: finer than any screen shows the chart, and half the bytes.
    current.push(`${Math.round(x(i))},${Math.round(y(v))}`);
  });
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

/**
 * Hourly p95 and p50 response times, y from 0 to the highest p95 in the window, with the axes
 * labelled around it. Consecutive hours are joined by a solid line and hours with runs between
 * gaps by a dashed one, and with few measured hours each is a point whose title gives its figures:
 * one run in a day still reads as a point, not as a blank box.
 */
export function responseChartSvg(points: readonly HourPoint[], caption: string, span = '24 h'): string {
  const p95 = points.map((p) => p.p95Ms);
  const p50 = points.map((p) => p.p50Ms);
  const max = Math.max(100, ...p95.filter((v): v is number => v !== null));
  const x = (i: number) => (points.length <= 1 ? CHART_W / 2 : 4 + (i / (points.length - 1)) * (CHART_W - 8));
  const y = (v: number) => CHART_H - 4 - (v / max) * (CHART_H - 8);
  const measured = points.flatMap((p, i) => (p.p95Ms === null ? [] : [{ p, i }]));
  const series = (values: (number | null)[], cls: string) => {
    const solid = segments(values, x, y)
      .filter((pts) => pts.includes(' '))
      .map((pts) => `<polyline class="${cls}" points="${pts}"/>`);
    const all = values.flatMap((v, i) => (v === null ? [] : [`${Math.round(x(i))},${Math.round(y(v))}`]));
    const bridge = all.length > 1 ? `<polyline class="${cls} bridge" points="${all.join(' ')}"/>` : '';
    return bridge + solid.join('');
  };
  const dots =
    measured.length <= MAX_DOTS
      ? measured
          .map(({ p, i }) => {
            const at = new Date(p.hour * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
            const title = `${at} UTC: p95 ≤ ${msLabel(p.p95Ms ?? 0)}, p50 ≤ ${msLabel(p.p50Ms ?? 0)}, ${plural(p.runs, 'run')}`;
            const cx = Math.round(x(i));
            return `<g><title>${escapeHtml(title)}</title><circle class="p95-dot" cx="${cx}" cy="${Math.round(y(p.p95Ms ?? 0))}" r="2.5"/><circle class="p50-dot" cx="${cx}" cy="${Math.round(y(p.p50Ms ?? 0))}" r="2.5"/></g>`;
          })
          .join('')
      : '';
  const label =
    measured.length === 0
      ? `${caption}: no response times measured`
      : `${caption}: p95 up to ${msLabel(max)} over ${plural(measured.length, 'hour')} with runs`;
  const svg =
    `<svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>` +
    `<line class="axis" x1="0" y1="${CHART_H - 1}" x2="${CHART_W}" y2="${CHART_H - 1}"/>` +
    `<line class="axis" x1="0.5" y1="0" x2="0.5" y2="${CHART_H}"/>` +
    `${series(p95, 'p95')}${series(p50, 'p50')}${dots}</svg>`;
  // Axis labels are HTML around the picture: readable at any width, and read out as text.
  return (
    `<div class="chart-box"><span class="y-top">${escapeHtml(msLabel(max))}</span>${svg}` +
    `<span class="y-bottom">0 ms</span><span class="x-axis"><span>${escapeHtml(span)} ago</span><span>now (UTC)</span></span></div>`
  );
}
