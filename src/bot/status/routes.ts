/**
 * Public, opt-in routes: the status page `/status/{owner}/{repo}`, badges
 * `/badge/{owner}/{repo}/{slug}/{kind}.svg|.json`, the read API `/api/v1/status/{owner}/{repo}[/{slug}]`
 * and `/api/v1/openapi.json`. A repository without `status_page.public` looks exactly like one that
 * does not exist: the same 404 page, the same 404 JSON, the same grey "unknown" badge. A page costs
 * 1 Redis command to answer 304 and 1 more per 10 tests to render; a badge costs 1 (Lua scripts in
 * adapters/store/status-scripts.ts summing rollups inside Redis), never a scan of `results:`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRepoName, SLUG_PATTERN } from '../../core/ids.js';
import type { Clock, Logger, RepoStatusHead, StatusReader } from '../../core/ports.js';
import { windowHours } from '../../core/status/rollup.js';
import {
  buildStatusView,
  buildTestView,
  HEARTBEAT_RUNS,
  historyFrom,
  pageHours,
} from '../../core/status/view.js';
import { sendJson } from '../http.js';
import { RANGES, type RangeName, repoJson, testDetailJson } from './api-json.js';
import { badgeContentOf, badgeWindowHours } from './badge-data.js';
import { badgeJson, badgeSvg, isBadgeKind, unknownBadge } from './badges.js';
import { renderAtomFeed } from './feed.js';
import { openApiDocument } from './openapi.js';
import { type PageLinks, renderNotFoundPage, renderStatusPage } from './render-page.js';

export interface StatusRouteDeps {
  /** Null when the store is not Redis: every status route then answers 404. */
  reader: StatusReader | null;
  clock: Clock;
  logger: Logger;
  /** The app's public base URL, for the OpenAPI `servers` entry. */
  publicUrl: string;
  /** GitHub's web base URL (`https://github.com`, or the GHE host), for incident links. */
  githubWebUrl: string;
  /**
   * The public read cache's period: a view is drawn as of the start of the current period, so the
   * same cached read renders the same bytes (and the same ETag) until it expires.
   */
  viewStepMs?: number;
}

function viewTime(deps: StatusRouteDeps): number {
  const now = deps.clock.now();
  const step = deps.viewStepMs ?? 0;
  return step > 0 ? Math.floor(now / step) * step : now;
}

/** Short enough that a fixed test shows up soon; long enough that a busy README does not hammer Redis. */
const PAGE_CACHE = 'public, max-age=30';
const BADGE_CACHE = 'public, max-age=60, s-maxage=60';
const API_RUNS = 100;

/** GitHub's web URL from its REST API URL: `https://ghe.example.com/api/v3` → `https://ghe.example.com`. */
export function githubWebUrl(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://github.com';
  return apiUrl.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '');
}

function segments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Sends `body` with an ETag; answers 304 when the client already holds it. */
function sendCached(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
  etag = etagOf(body),
): void {
  const all = { ...headers, etag, vary: 'accept-encoding' };
  if (status === 200 && req.headers['if-none-match'] === etag) {
    res.writeHead(304, all);
    res.end();
    return;
  }
  res.writeHead(status, { ...all, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notFoundJson(res: ServerResponse): void {
  sendJson(res, 404, { error: 'not found' }, { 'access-control-allow-origin': '*' });
}

function notFoundPage(req: IncomingMessage, res: ServerResponse): void {
  sendCached(req, res, 404, renderNotFoundPage(), {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
}

/** Handles the request when it is one of the status routes; returns false otherwise. */
export async function handleStatusRoutes(
  deps: StatusRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  const parts = segments(url.pathname);
  if (!parts) return false;
  const [root] = parts;
  const isApi = root === 'api' && parts[1] === 'v1' && (parts[2] === 'status' || parts[2] === 'openapi.json');
  if (root !== 'status' && root !== 'badge' && !isApi) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    return true;
  }
  if (root === 'status') await statusPage(deps, req, res, parts.slice(1));
  else if (root === 'badge') await badge(deps, req, res, parts.slice(1));
  else if (parts[2] === 'openapi.json' && parts.length === 3) {
    sendCached(req, res, 200, JSON.stringify(openApiDocument(deps.publicUrl)), {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'access-control-allow-origin': '*',
    });
  } else await api(deps, req, res, parts.slice(3), url.searchParams);
  return true;
}

function repoOf(parts: string[]): string | null {
  const [owner, name] = parts;
  if (owner === undefined || name === undefined) return null;
  const repo = `${owner}/${name}`;
  return isRepoName(repo) ? repo : null;
}

function links(deps: StatusRouteDeps): PageLinks {
  return { issueUrl: (repo, n) => `${deps.githubWebUrl}/${repo}/issues/${n}` };
}

/**
 * The page is drawn as of the minute (it shows times to the minute), so its bytes depend only on the
 * head's data and the minute: the ETag is made from those, before any test is read or anything
 * rendered, and a client that holds the page gets 304 for the head's one command.
 */
const PAGE_STEP_MS = 60_000;
/** Part of every page ETag: bump it when the page's HTML changes, so no client keeps an old page. */
const PAGE_ETAG_VERSION = 'page-1';

function pageTime(deps: StatusRouteDeps): number {
  const step = Math.max(PAGE_STEP_MS, deps.viewStepMs ?? 0);
  return Math.floor(deps.clock.now() / step) * step;
}

function pageEtag(deps: StatusRouteDeps, head: RepoStatusHead, now: number, kind: string): string {
  const hash = createHash('sha256');
  for (const part of [PAGE_ETAG_VERSION, kind, deps.githubWebUrl, String(now), head.version])
    hash.update(part).update('\u0000');
  hash.update(JSON.stringify(head.settings)).update(JSON.stringify(head.history));
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/** One public repository's status view (the page and `/api/v1/{owner}/{repo}` show the same), or null when it is not public. */
async function readRepoView(reader: StatusReader, repo: string, head: RepoStatusHead, now: number) {
  const { settings, history } = head;
  if (!settings?.public) return null;
  const tests = await reader.readRepoTests(repo, head.ids, { recent: HEARTBEAT_RUNS, ...pageHours(now) });
  return buildStatusView({ repo: tests[0]?.test.definition.repo ?? repo, settings, tests, history, now });
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': PAGE_CACHE,
  // The page has no script and loads nothing: say so, so an injected tag could not run either.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

async function statusPage(deps: StatusRouteDeps, req: IncomingMessage, res: ServerResponse, parts: string[]) {
  // `feed.atom` under the page: its incidents as an Atom feed, from the same read (bot/status/feed.ts).
  const feed = parts.length === 3 && parts[2] === 'feed.atom';
  const repo = parts.length === 2 || feed ? repoOf(parts) : null;
  if (!repo || !deps.reader) return notFoundPage(req, res);
  const now = pageTime(deps);
  const head = await deps.reader.readRepoHead(repo, { historyFrom: historyFrom(now) });
  if (!head.settings?.public) return notFoundPage(req, res);
  // The feed and the page are two representations: each has its own validator.
  const etag = pageEtag(deps, head, now, feed ? 'atom' : 'html');
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ...PAGE_HEADERS, etag, vary: 'accept-encoding' });
    res.end();
    return;
  }
  const view = await readRepoView(deps.reader, repo, head, now);
  if (!view) return notFoundPage(req, res);
  if (feed) {
    const pageUrl = `${deps.publicUrl}/status/${view.repo.split('/').map(encodeURIComponent).join('/')}`;
    const headers = {
      'content-type': 'application/atom+xml; charset=utf-8',
      'cache-control': PAGE_CACHE,
      'x-content-type-options': 'nosniff',
    };
    return sendCached(req, res, 200, renderAtomFeed(view, links(deps), pageUrl), headers, etag);
  }
  sendCached(req, res, 200, renderStatusPage(view, links(deps)), PAGE_HEADERS, etag);
}

async function badge(deps: StatusRouteDeps, req: IncomingMessage, res: ServerResponse, parts: string[]) {
  const file = parts[3] ?? '';
  const match = /^(.+)\.(svg|json)$/.exec(file);
  const kind = match?.[1] ?? '';
  if (parts.length !== 4 || !match || !isBadgeKind(kind)) {
    sendJson(res, 404, {
      error: 'no such badge: use status, uptime-24h|7d|30d or response-time-24h|7d|30d, .svg or .json',
    });
    return;
  }
  const repo = repoOf(parts);
  const slug = parts[2] ?? '';
  let content = unknownBadge(kind);
  if (repo && SLUG_PATTERN.test(slug) && deps.reader) {
    // One command: the few figures this badge shows, summed inside Redis (badge-data.ts).
    const hours = badgeWindowHours(kind);
    const window = hours === null ? undefined : windowHours(viewTime(deps), hours);
    const read = await deps.reader.readTestBadge(repo, slug, {
      recent: HEARTBEAT_RUNS,
      ...(window ? { window } : {}),
    });
    if (read.public && read.test) content = badgeContentOf(kind, read.test);
  }
  const json = match[2] === 'json';
  sendCached(req, res, 200, json ? badgeJson(content) : badgeSvg(content), {
    'content-type': json ? 'application/json; charset=utf-8' : 'image/svg+xml; charset=utf-8',
    'cache-control': BADGE_CACHE,
    'access-control-allow-origin': '*',
  });
}

async function api(
  deps: StatusRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
  query: URLSearchParams,
) {
  const repo = parts.length === 2 || parts.length === 3 ? repoOf(parts) : null;
  if (!repo || !deps.reader) return notFoundJson(res);
  const now = viewTime(deps);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': PAGE_CACHE,
    'access-control-allow-origin': '*',
  };
  if (parts.length === 2) {
    const head = await deps.reader.readRepoHead(repo, { historyFrom: historyFrom(now) });
    const view = await readRepoView(deps.reader, repo, head, now);
    if (!view) return notFoundJson(res);
    return sendCached(req, res, 200, JSON.stringify(repoJson(view)), headers);
  }
  const range = query.get('range') ?? '24h';
  if (!(range in RANGES)) {
    sendJson(res, 400, {
      error: `range must be one of ${Object.keys(RANGES).join(', ')}, not "${range.slice(0, 20)}"`,
    });
    return;
  }
  const slug = parts[2] ?? '';
  if (!SLUG_PATTERN.test(slug)) return notFoundJson(res);
  const read = await deps.reader.readTestStatus(repo, slug, { recent: API_RUNS, ...pageHours(now) });
  if (!read.settings?.public || !read.test) return notFoundJson(res);
  const showGoals = read.settings.showGoals;
  const view = buildTestView(read.test, now, showGoals);
  const body = testDetailJson(
    read.test.test.definition.repo,
    view,
    read.test,
    range as RangeName,
    now,
    showGoals,
  );
  sendCached(req, res, 200, JSON.stringify(body), headers);
}
