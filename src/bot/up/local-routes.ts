/**
 * The HTTP routes of `housecat up`: the app's status page, badges, read API and dashboard, plus
 * `GET /` (to the status page) and, with local incidents, each incident's page under `/local/`.
 * There is no QStash callback and no webhook route: nothing outside the machine calls in.
 *
 * On the operator's own machine (local access) the monitored repository's status page is shown
 * whatever its `status_page.public` setting says: the page is the operator's. With GitHub sign-in
 * (a non-loopback address), the file's setting applies as in production.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalIssueTracker } from '../../adapters/store/local-issue-tracker.js';
import type { StatusPageSettings, StatusReader } from '../../core/ports.js';
import { escapeHtml, formatTime } from '../../web/html.js';
import { createRouter, type Route, type RouteHandler } from '../../web/route-table.js';
import { handleLiveness } from '../health-routes.js';

const GET = ['GET', 'HEAD'] as const;

/** The monitored repository's page settings, opened to the local operator. */
export function localStatusReader(reader: StatusReader, repo: string): StatusReader {
  const ours = (r: string) => r.toLowerCase() === repo.toLowerCase();
  const open = (s: StatusPageSettings | null): StatusPageSettings => ({
    public: true,
    showGoals: s?.showGoals ?? true,
    title: s?.title ?? repo,
  });
  return {
    async readRepoStatus(r, options) {
      if (!ours(r)) return reader.readRepoStatus(r, options);
      const read = await reader.readRepoStatus(r, { ...options, includePrivate: true });
      return { ...read, settings: open(read.settings) };
    },
    async readRepoHead(r, options) {
      if (!ours(r)) return reader.readRepoHead(r, options);
      const head = await reader.readRepoHead(r, { ...options, includePrivate: true });
      return { ...head, settings: open(head.settings) };
    },
    readRepoTests: (r, ids, options) => reader.readRepoTests(r, ids, options),
    readTestBadge: (r, slug, options) =>
      reader.readTestBadge(r, slug, ours(r) ? { ...options, includePrivate: true } : options),
    async readTestStatus(r, slug, options) {
      const read = await reader.readTestStatus(r, slug, options);
      return ours(r) ? { ...read, settings: open(read.settings) } : read;
    },
  };
}

/** `/local/{owner}/{repo}/issues/{n}`: a local incident, as its GitHub issue would read. */
export function localIssuePage(issues: LocalIssueTracker): RouteHandler {
  return async (req, res) => {
    const match = /^\/local\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return false;
    const issue = await issues.read(`${match[1]}/${match[2]}`, Number(match[3]));
    if (!issue) return false;
    const comments = issue.comments
      .map((c) => `<h3>${escapeHtml(formatTime(c.at))}</h3><pre>${escapeHtml(c.body)}</pre>`)
      .join('\n');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(issue.title)}</title>
<link rel="stylesheet" href="/assets/status.css"></head><body><main>
<p><a href="/status/${escapeHtml(issue.repo)}">← status page</a></p>
<h1>${escapeHtml(issue.title)} <small>#${issue.number} · ${issue.state}</small></h1>
<p>Opened ${escapeHtml(formatTime(issue.createdAt))}${issue.closedAt ? `, closed ${escapeHtml(formatTime(issue.closedAt))}` : ''} (kept in Redis by housecat up: no GitHub token was given)</p>
<pre>${escapeHtml(issue.body)}</pre>
${comments}
</main></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  };
}

/** The request handler of `up`'s pages. */
export function localRouter(h: {
  repo: string;
  status: RouteHandler;
  dashboard: RouteHandler;
  issues: RouteHandler | null;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const home: RouteHandler = async (_req, res) => {
    res.writeHead(302, { location: `/status/${h.repo}` });
    res.end();
    return true;
  };
  const routes: Route[] = [
    { group: 'public', methods: GET, path: '/', handler: home },
    { group: 'public', methods: GET, path: '/healthz', handler: handleLiveness },
    { group: 'public', methods: GET, path: '/status/', handler: h.status },
    { group: 'public', methods: GET, path: '/badge/', handler: h.status },
    { group: 'public', methods: GET, path: '/api/v1/status/', handler: h.status },
    { group: 'public', methods: GET, path: '/api/v1/openapi.json', handler: h.status },
    { group: 'public', methods: GET, path: '/assets/', handler: h.dashboard },
    { group: 'signed-in', methods: [...GET, 'POST'], path: '/auth/', handler: h.dashboard },
    { group: 'signed-in', methods: [...GET, 'POST'], path: '/r/', handler: h.dashboard },
  ];
  if (h.issues) routes.push({ group: 'public', methods: GET, path: '/local/', handler: h.issues });
  return createRouter(routes);
}
