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

/** The last runs as bars, oldest left; empty slots (fewer runs than `slots`) are drawn faint. */
export function heartbeatSvg(beats: readonly { status: RunStatus; at: number }[], slots: number): string {
  const counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const b of beats) counts[b.status] += 1;
  const label =
    beats.length === 0
      ? 'No runs yet'
      : `Last ${plural(beats.length, 'run')}: ${counts.passed} passed, ${counts.failed} failed, ` +
        `${plural(counts.error, 'error')}, ${counts.skipped} skipped; newest on the right`;
  const empty = Math.max(0, slots - beats.length);
  // One path per status (bars as `M x 0 h w v h h -w z`), not one rect per run: a page of 100 tests
  // would otherwise carry 9,000 elements.
  const paths = new Map<string, string[]>();
  for (let i = 0; i < slots; i++) {
    const status = (i >= empty ? beats[i - empty]?.status : undefined) ?? 'none';
    const list = paths.get(status) ?? [];
    list.push(`M${i * (BAR_W + BAR_GAP)} 0h${BAR_W}v${BAR_H}h-${BAR_W}z`);
    paths.set(status, list);
  }
  const bars = [...paths].map(([status, d]) => `<path class="hb-${status}" d="${d.join('')}"/>`);
  const width = slots * (BAR_W + BAR_GAP) - BAR_GAP;
  return (
    `<svg class="heartbeat" viewBox="0 0 ${width} ${BAR_H}" preserveAspectRatio="none" role="img" ` +
    `aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>${bars.join('')}</svg>`
  );
}

const CHART_W = 300;
const CHART_H = 80;

/** Polyline segments of one series; an hour without runs breaks the line instead of faking a value. */
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

/** Hourly p95 (and p50) response time as lines, y from 0 to the highest p95 in the window. */
export function responseChartSvg(points: readonly HourPoint[], caption: string): string {
  const p95 = points.map((p) => p.p95Ms);
  const p50 = points.map((p) => p.p50Ms);
  const max = Math.max(100, ...p95.filter((v): v is number => v !== null));
  const x = (i: number) => (points.length <= 1 ? CHART_W / 2 : (i / (points.length - 1)) * CHART_W);
  const y = (v: number) => CHART_H - 2 - (v / max) * (CHART_H - 4);
  const line = (values: (number | null)[], cls: string) =>
    segments(values, x, y)
      .map((pts) =>
        pts.includes(' ')
          ? `<polyline class="${cls}" points="${pts}"/>`
          : `<circle class="${cls}-dot" cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="2"/>`,
      )
      .join('');
  const measured = p95.filter((v) => v !== null).length;
  const label =
    measured === 0
      ? `${caption}: no response times measured`
      : `${caption}: p95 up to ${max} ms over ${plural(measured, 'hour')} with runs`;
  return (
    `<svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" preserveAspectRatio="none" role="img" ` +
    `aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>` +
    `<line class="axis" x1="0" y1="${CHART_H - 1}" x2="${CHART_W}" y2="${CHART_H - 1}"/>` +
    `${line(p95, 'p95')}${line(p50, 'p50')}</svg>`
  );
}
