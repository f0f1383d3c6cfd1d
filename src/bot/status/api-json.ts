/**
 * The read API's JSON bodies (`/api/v1/status/…`), built from the same StatusView as the page, so
 * they show exactly what the page shows: names, states and numbers; goals and reasons only with
 * `show_goals`; never URLs, evidence, failed steps or sources.
 */
import type { StoredResult, TestStatusData } from '../../core/ports.js';
import { HOUR_MS, summarizeHours, type WindowSummary } from '../../core/status/rollup.js';
import type { IncidentView, StatusView, TestView } from '../../core/status/view.js';

export const RANGES = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type RangeName = keyof typeof RANGES;

function windowJson(s: WindowSummary) {
  return {
    uptime: s.uptime,
    passed: s.passed,
    failed: s.failed,
    error: s.error,
    skipped: s.skipped,
    p50Ms: s.p50Ms,
    p95Ms: s.p95Ms,
    latenessP50Ms: s.latenessP50Ms,
    latenessP95Ms: s.latenessP95Ms,
  };
}

function incidentJson(i: IncidentView) {
  return {
    status: i.status,
    since: new Date(i.since).toISOString(),
    ...(i.resolvedAt === undefined ? {} : { resolvedAt: new Date(i.resolvedAt).toISOString() }),
    ...(i.issueNumber === undefined ? {} : { issueNumber: i.issueNumber }),
  };
}

export function testJson(t: TestView) {
  return {
    slug: t.slug,
    name: t.name,
    state: t.state,
    status: t.badge,
    lastRunAt: t.lastRunAt === undefined ? null : new Date(t.lastRunAt).toISOString(),
    windows: {
      '24h': windowJson(t.windows.h24),
      '7d': windowJson(t.windows.d7),
      '30d': windowJson(t.windows.d30),
    },
    incident: t.incident ? incidentJson(t.incident) : null,
    maintenance: t.maintenance
      ? {
          since: new Date(t.maintenance.since).toISOString(),
          until: new Date(t.maintenance.until).toISOString(),
        }
      : null,
    ...(t.goal === undefined ? {} : { goal: t.goal }),
    ...(t.lastReason === undefined ? {} : { lastReason: t.lastReason }),
  };
}

/** `GET /api/v1/status/{owner}/{repo}`. */
export function repoJson(view: StatusView) {
  return {
    repo: view.repo,
    title: view.title,
    overall: view.overall,
    generatedAt: new Date(view.generatedAt).toISOString(),
    tests: view.tests.map(testJson),
    openIncidents: view.openIncidents.map((i) => ({ slug: i.slug, ...incidentJson(i) })),
    // The same rows as the page's "Incident history (90 days)"; lastReason only with show_goals.
    history: view.history.map((i) => ({
      slug: i.slug,
      name: i.testName,
      ...incidentJson(i),
      ...(i.kind === undefined ? {} : { kind: i.kind }),
      ...(i.lastReason === undefined ? {} : { lastReason: i.lastReason }),
    })),
  };
}

function runJson(r: StoredResult, showGoals: boolean) {
  return {
    status: r.status,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: r.durationMs,
    responseMs: r.responseMs ?? null,
    ...(showGoals ? { reason: r.reason } : {}),
  };
}

/** `GET /api/v1/status/{owner}/{repo}/{slug}?range=…`. */
export function testDetailJson(
  repo: string,
  view: TestView,
  data: TestStatusData,
  range: RangeName,
  now: number,
  showGoals: boolean,
) {
  const toHour = Math.floor(now / HOUR_MS);
  const fromHour = toHour - RANGES[range] + 1;
  const hours = [];
  for (let hour = fromHour; hour <= toHour; hour++) {
    if (!data.hours.has(hour)) continue;
    hours.push({
      start: new Date(hour * HOUR_MS).toISOString(),
      ...windowJson(summarizeHours(data.hours, hour, hour)),
    });
  }
  return {
    repo,
    generatedAt: new Date(now).toISOString(),
    test: testJson(view),
    runs: data.recent.map((r) => runJson(r, showGoals)),
    range,
    hours,
  };
}
