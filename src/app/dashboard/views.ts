/**
 * The data behind each dashboard page, read from the store for a person whose access was checked
 * already (the routes do that first, and answer 404 otherwise).
 */
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { DashboardStore, TestPageReader } from '../../core/dashboard/ports.js';
import { testId } from '../../core/ids.js';
import type { Clock, StatusReader, Store, StoredEvent, StoredResult, StoredTest } from '../../core/ports.js';
import type { LatenessStats } from '../../core/scheduling/lateness.js';
import { activeWindow } from '../../core/scheduling/maintenance.js';
import {
  stateOf,
  type TestSummary,
  testPageFigures,
  testPageRanges,
} from '../../core/status/dashboard-summary.js';
import { hourOf, summarizeHours } from '../../core/status/rollup.js';
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
  status: StatusReader & TestPageReader;
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
  /** Status of the newest run, or `none` before the first one. */
  state: TestSummary['state'];
  incident: Incident | null;
  /** Uptime over the last 24 h and 7 d from the hourly rollups (null: no conclusive run). */
  uptime24h: number | null;
  uptime7d: number | null;
  /** Start of the newest run, epoch ms. */
  lastRunAt?: number;
}

export interface RepoView {
  access: RepoAccess;
  tests: TestRow[];
}

/** Results the test page lists (newest first): a fixed number, whatever the history holds. */
export const TEST_PAGE_RUNS = 100;
/** Results the home page reads per test: the newest says its state. */
const HOME_RUNS = 1;

/**
 * One repository's tests with their state, incident and uptime, in the status reader's 2 round
 * trips: the newest result and the last 7 days of hourly rollups per test (at most 168 fields of
 * one hash), never the test's results.
 */
export async function repoView(deps: ViewDeps, access: RepoAccess): Promise<RepoView> {
  const now = deps.clock.now();
  const hour = hourOf(now);
  const { tests } = await deps.status.readRepoStatus(access.repo, {
    recent: HOME_RUNS,
    fromHour: hour - 7 * 24 + 1,
    toHour: hour,
    includePrivate: true,
    historyFrom: now,
  });
  const rows = tests.map((data): TestRow => {
    const row: TestRow = {
      test: data.test,
      state: stateOf(data.recent).state,
      incident: data.incident,
      uptime24h: summarizeHours(data.hours, hour - 23, hour).uptime,
      uptime7d: summarizeHours(data.hours, hour - 7 * 24 + 1, hour).uptime,
    };
    const last = data.recent[0];
    if (last) row.lastRunAt = last.startedAt;
    return row;
  });
  rows.sort((a, b) => a.test.definition.slug.localeCompare(b.test.definition.slug));
  return { access, tests: rows };
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
  /** Newest first, at most {@link TEST_PAGE_RUNS}. */
  runs: StoredResult[];
  /** p50 response times of the last 7 days per 6-hour slot (from the rollups), oldest first. */
  chart: { at: number; ms: number }[];
  incident: Incident | null;
  shot: { runId: string; at: number } | null;
  /** The latest events (oldest first), shown before the live ones. */
  recentEvents: StoredEvent[];
  /** Lateness of the scheduled runs of the last 30 days (p50/p95/worst, ms, from the rollups). */
  lateness: LatenessStats;
  /** The maintenance window open now, epoch ms; null when none is. */
  maintenance: { since: number; until: number } | null;
}

/** The test page's data, or null when the slug is not one or the repository has no such test. */
async function readTest(deps: ViewDeps, repo: string, slug: string, now: number) {
  try {
    return await deps.status.readTestPage(repo, slug.toLowerCase(), {
      recent: TEST_PAGE_RUNS,
      ranges: testPageRanges(now),
    });
  } catch (error) {
    // makeTestId refuses what is not a slug: that page does not exist.
    if (error instanceof Error && error.message.startsWith('not a slug')) return null;
    throw error;
  }
}

/**
 * The test page; null when the repository has no test with this slug. Reads the newest
 * {@link TEST_PAGE_RUNS} results and the hourly rollups summed in Redis over fixed ranges: the
 * same bytes for a day of history as for a month.
 */
export async function testView(deps: ViewDeps, access: RepoAccess, slug: string): Promise<TestView | null> {
  const now = deps.clock.now();
  const data = await readTest(deps, access.repo, slug, now);
  if (!data) return null;
  const id = data.test.definition.id;
  const [shot, lastId] = await Promise.all([deps.dashboard.getShot(id), deps.dashboard.lastEventId(id)]);
  const recentEvents = lastId ? await recent(deps, id, lastId) : [];
  const { summary, lateness, chart } = testPageFigures(data.recent, data.sums, now);
  return {
    access,
    test: data.test,
    summary,
    runs: data.recent,
    chart,
    incident: data.incident,
    shot: shot ? { runId: shot.runId, at: shot.at } : null,
    recentEvents,
    lateness,
    maintenance: maintenanceNow(data.test, now),
  };
}

/**
 * The repository's test with this slug, from its hash alone (1 Redis command): what the live
 * view, the screenshot and Run now need, without the page's results and rollups.
 */
export async function findTest(deps: ViewDeps, access: RepoAccess, slug: string): Promise<StoredTest | null> {
  let id: string;
  try {
    id = testId(access.repo, slug.toLowerCase());
  } catch {
    return null;
  }
  const test = await deps.store.getTest(id);
  // The id is derived from the repo; a hash of another repository (a crafted slug) is not this test.
  return test && test.definition.repo.toLowerCase() === access.repo.toLowerCase() ? test : null;
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
