/**
 * The data behind each dashboard page, read from the store for a person whose access was checked
 * already (the routes do that first, and answer 404 otherwise).
 */
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { DashboardStore } from '../../core/dashboard/ports.js';
import { DAY_MS, summarize, type TestSummary } from '../../core/dashboard/summary.js';
import type { Clock, StatusReader, Store, StoredEvent, StoredResult, StoredTest } from '../../core/ports.js';
import { type LatenessStats, latenessStats } from '../../core/scheduling/lateness.js';
import { activeWindow } from '../../core/scheduling/maintenance.js';
import {
  buildStatusView,
  HEARTBEAT_RUNS,
  historyFrom,
  pageHours,
  type StatusView,
} from '../../core/status/view.js';
import type { Incident } from '../../core/types.js';

export interface ViewDeps {
  store: Store;
  dashboard: DashboardStore;
  clock: Clock;
  /** The hourly rollups (`stats:{id}:h`) behind the status pages; the repository page reads them too. */
  status: StatusReader;
}

/**
 * The repository page's data: the status page's view of every test (rollups, heartbeat, uptime,
 * p50/p95) built by the same code as the public page, with goals and reasons, whatever the
 * repository's public setting (the person's access was checked).
 */
export async function repoStatusView(deps: ViewDeps, access: RepoAccess): Promise<StatusView> {
  const now = deps.clock.now();
  const { tests, history } = await deps.status.readRepoStatus(access.repo, {
    recent: HEARTBEAT_RUNS,
    ...pageHours(now),
    includePrivate: true,
    historyFrom: historyFrom(now),
  });
  return buildStatusView({
    repo: access.repo,
    settings: { public: false, title: access.repo, showGoals: true },
    tests,
    history,
    now,
  });
}

export interface TestRow {
  test: StoredTest;
  summary: TestSummary;
  incident: Incident | null;
}

export interface RepoView {
  access: RepoAccess;
  tests: TestRow[];
}

/** Results of the last 30 days, newest first: enough for every figure on the repository page. */
async function rowOf(deps: ViewDeps, test: StoredTest): Promise<TestRow> {
  const now = deps.clock.now();
  const id = test.definition.id;
  const [results, incident] = await Promise.all([
    deps.store.getResults(id, { from: now - 30 * DAY_MS, to: now }),
    deps.store.getIncident(id),
  ]);
  return { test, summary: summarize(results, now), incident };
}

/** One repository's tests with their figures. */
export async function repoView(deps: ViewDeps, access: RepoAccess): Promise<RepoView> {
  const tests = await deps.store.listRepoTests(access.repo);
  return { access, tests: await Promise.all(tests.map((t) => rowOf(deps, t))) };
}

/** The home page: every repository the person may see, with its tests' states and incidents. */
export async function homeView(deps: ViewDeps, access: RepoAccess[]): Promise<RepoView[]> {
  const sorted = [...access].sort((a, b) => a.repo.localeCompare(b.repo));
  return Promise.all(sorted.map((a) => repoView(deps, a)));
}

export interface TestView {
  access: RepoAccess;
  test: StoredTest;
  summary: TestSummary;
  /** Newest first, at most 100. */
  runs: StoredResult[];
  /** Response times of the last 7 days (response time, else duration), oldest first. */
  chart: { at: number; ms: number }[];
  incident: Incident | null;
  shot: { runId: string; at: number } | null;
  /** The latest events (oldest first), shown before the live ones. */
  recentEvents: StoredEvent[];
  /** Lateness of the scheduled runs of the last 30 days (p50/p95/max, ms). */
  lateness: LatenessStats;
  /** The maintenance window open now, epoch ms; null when none is. */
  maintenance: { since: number; until: number } | null;
}

/** The test page; null when the repository has no test with this slug. */
export async function testView(deps: ViewDeps, access: RepoAccess, slug: string): Promise<TestView | null> {
  const tests = await deps.store.listRepoTests(access.repo);
  const test = tests.find((t) => t.definition.slug === slug.toLowerCase() || t.definition.slug === slug);
  if (!test) return null;
  const id = test.definition.id;
  const now = deps.clock.now();
  const [runs, month, incident, shot, lastId] = await Promise.all([
    deps.store.getResults(id, { limit: 100, to: now }),
    deps.store.getResults(id, { from: now - 30 * DAY_MS, to: now }),
    deps.store.getIncident(id),
    deps.dashboard.getShot(id),
    deps.dashboard.lastEventId(id),
  ]);
  const recentEvents = lastId ? await recent(deps, id, lastId) : [];
  return {
    access,
    test,
    summary: summarize(month, now),
    runs,
    // The same measure as p50/p95: the page's response time, else the run's duration.
    chart: month
      .filter((r) => r.startedAt >= now - 7 * DAY_MS)
      .map((r) => ({ at: r.startedAt, ms: r.responseMs ?? r.durationMs }))
      .reverse(),
    incident,
    shot: shot ? { runId: shot.runId, at: shot.at } : null,
    recentEvents,
    lateness: latenessStats(month),
    maintenance: maintenanceNow(test, now),
  };
}

function maintenanceNow(test: StoredTest, now: number): { since: number; until: number } | null {
  const open = activeWindow(test.definition.maintenance, now);
  return open ? { since: open.opened, until: open.until } : null;
}

/** The events of the newest run in the stream (up to 50), so a page opened mid-run shows its start. */
async function recent(deps: ViewDeps, testId: string, lastId: string): Promise<StoredEvent[]> {
  const ms = Number(lastId.split('-')[0]);
  const from = `${Math.max(0, ms - 15 * 60_000)}-0`;
  const events = await deps.store.readEvents(testId, { afterId: from });
  const last = events.at(-1);
  if (!last) return [];
  return events.filter((e) => e.runId === last.runId).slice(-50);
}
