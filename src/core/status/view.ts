/**
 * What a public status page shows, built from the store's status data: pure, and safe by
 * construction. The view carries names, states and numbers; goals and last reasons only when the
 * repository set `show_goals`; never URLs, evidence, steps or secret names. The HTML page, the
 * badges and the read API are all rendered from it, so none of them can show more.
 */
import type { PastIncident, StatusPageSettings, StoredResult, TestStatusData } from '../ports.js';
import { activeWindow } from '../scheduling/maintenance.js';
import type { Incident, RunStatus } from '../types.js';
import { reasonKind } from './reason-kind.js';
import { HOUR_MS, histogramPercentile, hourOf, summarizeHours, type WindowSummary } from './rollup.js';

/** Runs in the heartbeat bar. */
export const HEARTBEAT_RUNS = 90;
/** How far back incident history goes. */
export const HISTORY_DAYS = 90;
/** The longest window the page reads rollups for: 30 days of hours. */
export const WINDOW_HOURS = { h24: 24, d7: 7 * 24, d30: 30 * 24 } as const;
export type WindowName = keyof typeof WINDOW_HOURS;

/** `passing` / `failing` by the last conclusive run (`error` and `skipped` say nothing); `unknown` without one. */
export type TestState = 'passing' | 'failing' | 'unknown';
/** What a status badge says: `incident` while one is open or acknowledged. */
export type BadgeStatus = TestState | 'incident';
export type OverallState = 'operational' | 'degraded' | 'outage' | 'unknown';

export interface IncidentView {
  slug: string;
  testName: string;
  status: Incident['status'];
  issueNumber?: number;
  /** First failed run of the streak, epoch ms. */
  since: number;
  resolvedAt?: number;
  /** `missed`: opened because scheduled runs stopped coming. */
  kind?: 'missed';
  /** The incident's last reason: in the history only, and only with `show_goals`. */
  lastReason?: string;
}

export interface HourPoint {
  hour: number;
  runs: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TestView {
  slug: string;
  name: string;
  state: TestState;
  badge: BadgeStatus;
  lastRunAt?: number;
  /**
   * Oldest first, at most {@link HEARTBEAT_RUNS}. `note` is the run's reason in short: its kind
   * (reason-kind.ts) on a public page, the clipped reason itself with `show_goals`.
   */
  heartbeat: { status: RunStatus; at: number; note?: string }[];
  /**
   * Set when every recent run was inconclusive (error or skipped): since the oldest of them, with
   * the newest one's reason kind. The page says so instead of "No result yet".
   */
  inconclusive?: { since: number; kind: string };
  windows: Record<WindowName, WindowSummary>;
  /** Hourly response-time points, oldest first: the last 24 hours and the last 7 days. */
  chart24h: HourPoint[];
  chart7d: HourPoint[];
  incident?: IncidentView;
  /**
   * The maintenance window open now (scheduled runs inside it are recorded `skipped`), with when it
   * opened and when it closes, epoch ms.
   */
  maintenance?: { since: number; until: number };
  /** Only with `show_goals`. */
  goal?: string;
  lastReason?: string;
}

export interface StatusView {
  repo: string;
  title: string;
  overall: OverallState;
  generatedAt: number;
  showGoals: boolean;
  tests: TestView[];
  /** Open or acknowledged incidents, oldest first. */
  openIncidents: IncidentView[];
  /**
   * The open incidents, then every incident resolved in the last {@link HISTORY_DAYS} days (from the
   * repository's incident history), newest first.
   */
  history: IncidentView[];
}

function stateOf(recent: readonly StoredResult[]): TestState {
  const last = recent.find((r) => r.status === 'passed' || r.status === 'failed');
  if (!last) return 'unknown';
  return last.status === 'passed' ? 'passing' : 'failing';
}

function points(hours: TestStatusData['hours'], fromHour: number, toHour: number): HourPoint[] {
  const out: HourPoint[] = [];
  for (let hour = fromHour; hour <= toHour; hour++) {
    // One lookup per hour: scanning every stored hour for each point cost 100 × 192 × 720 steps a page.
    const counts = hours.get(hour);
    out.push({
      hour,
      runs: counts ? counts.passed + counts.failed + counts.error + counts.skipped : 0,
      p50Ms: counts ? histogramPercentile(counts.histogram, 50) : null,
      p95Ms: counts ? histogramPercentile(counts.histogram, 95) : null,
    });
  }
  return out;
}

function incidentView(data: TestStatusData): IncidentView | undefined {
  const i = data.incident;
  if (!i) return undefined;
  return {
    slug: data.test.definition.slug,
    testName: data.test.definition.name,
    status: i.status,
    ...(i.issueNumber === undefined ? {} : { issueNumber: i.issueNumber }),
    since: i.since,
    ...(i.resolvedAt === undefined ? {} : { resolvedAt: i.resolvedAt }),
  };
}

/** One test's view at `now`. */
export function buildTestView(data: TestStatusData, now: number, showGoals: boolean): TestView {
  const d = data.test.definition;
  const toHour = hourOf(now);
  const window = (hours: number) => summarizeHours(data.hours, toHour - hours + 1, toHour);
  const state = stateOf(data.recent);
  const incident = incidentView(data);
  const active = incident !== undefined && incident.status !== 'resolved';
  const view: TestView = {
    slug: d.slug,
    name: d.name,
    state,
    badge: active ? 'incident' : state,
    heartbeat: data.recent
      .slice(0, HEARTBEAT_RUNS)
      .map((r) => ({ status: r.status, at: r.startedAt, note: noteOf(r, showGoals) }))
      .reverse(),
    windows: { h24: window(WINDOW_HOURS.h24), d7: window(WINDOW_HOURS.d7), d30: window(WINDOW_HOURS.d30) },
    chart24h: points(data.hours, toHour - WINDOW_HOURS.h24 + 1, toHour),
    chart7d: points(data.hours, toHour - WINDOW_HOURS.d7 + 1, toHour),
  };
  const last = data.recent[0];
  if (last) view.lastRunAt = last.startedAt;
  const oldest = data.recent.at(-1);
  if (state === 'unknown' && last && oldest)
    view.inconclusive = { since: oldest.startedAt, kind: reasonKind(last.status, last.reason) };
  if (incident) view.incident = incident;
  const open = activeWindow(d.maintenance, now);
  if (open) view.maintenance = { since: open.opened, until: open.until };
  if (showGoals) {
    if (d.goal) view.goal = d.goal;
    if (last?.reason) view.lastReason = last.reason;
  }
  return view;
}

/** A heartbeat bar's short reason (see TestView.heartbeat). */
function noteOf(result: StoredResult, showGoals: boolean): string {
  if (!showGoals || result.status === 'passed') return reasonKind(result.status, result.reason);
  return result.reason.length > 80 ? `${result.reason.slice(0, 80)}…` : result.reason;
}

function overallOf(tests: readonly TestView[]): OverallState {
  const known = tests.filter((t) => t.state !== 'unknown' || t.badge === 'incident');
  if (known.length === 0) return 'unknown';
  if (known.some((t) => t.badge === 'incident')) return 'outage';
  if (known.some((t) => t.state === 'failing')) return 'degraded';
  return 'operational';
}

/**
 * Resolved incidents of the history, named after their tests. A resolved record missing from the
 * history (resolved before the history was kept) is still shown, as it was before.
 */
function pastViews(
  tests: readonly TestStatusData[],
  past: readonly PastIncident[],
  horizon: number,
  showGoals: boolean,
): IncidentView[] {
  const byId = new Map(tests.map((t) => [t.test.definition.id, t.test.definition]));
  const seen = new Set(past.map((p) => `${p.testId}@${p.since}`));
  const older = tests.flatMap((t) => {
    const i = t.incident;
    if (i?.status !== 'resolved' || seen.has(`${i.testId}@${i.since}`)) return [];
    return [{ ...i, resolvedAt: i.resolvedAt ?? 0 }];
  });
  return [...past, ...older]
    .filter((p) => p.resolvedAt >= horizon)
    .map((p) => {
      const d = byId.get(p.testId);
      const view: IncidentView = {
        // A test removed since keeps its history row, under its id.
        slug: d?.slug ?? p.testId,
        testName: d?.name ?? p.testId,
        status: 'resolved',
        since: p.since,
        resolvedAt: p.resolvedAt,
      };
      if (p.issueNumber !== undefined) view.issueNumber = p.issueNumber;
      if (p.kind === 'missed') view.kind = 'missed';
      if (showGoals && p.lastReason) view.lastReason = p.lastReason;
      return view;
    });
}

/** The whole page's view. `tests` come sorted by name for people, not by id. */
export function buildStatusView(input: {
  repo: string;
  settings: StatusPageSettings;
  tests: readonly TestStatusData[];
  /** The repository's resolved incidents (`StatusReader.readRepoStatus`), any order. */
  history?: readonly PastIncident[];
  now: number;
}): StatusView {
  const { now, settings } = input;
  const tests = input.tests
    .map((t) => buildTestView(t, now, settings.showGoals))
    .sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
  const incidents = tests.flatMap((t) => (t.incident ? [t.incident] : []));
  const open = incidents.filter((i) => i.status !== 'resolved');
  const horizon = historyFrom(now);
  return {
    repo: input.repo,
    title: settings.title ?? `${input.repo} status`,
    overall: overallOf(tests),
    generatedAt: now,
    showGoals: settings.showGoals,
    tests,
    openIncidents: open.sort((a, b) => a.since - b.since),
    history: [...open, ...pastViews(input.tests, input.history ?? [], horizon, settings.showGoals)].sort(
      (a, b) => (b.resolvedAt ?? now) - (a.resolvedAt ?? now) || b.since - a.since,
    ),
  };
}

/** The oldest resolution time the incident history shows at `now` (epoch ms). */
export function historyFrom(now: number): number {
  return now - HISTORY_DAYS * 24 * HOUR_MS;
}

/** The oldest hour the page needs rollups for at `now`. */
export function pageHours(now: number): { fromHour: number; toHour: number } {
  const toHour = hourOf(now);
  return { fromHour: toHour - WINDOW_HOURS.d30 + 1, toHour };
}
