/**
 * The private dashboard behind Sign in with GitHub (docs/bot.md, "Dashboard"). A person sees a
 * repository only when the app is installed on it and GitHub says they can read it; anything else
 * answers 404, exactly like a repository that does not exist, so no private name leaks. POST forms
 * carry the session's CSRF token; a refused request writes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessList, repoAccess } from '../../app/dashboard/access.js';
import { loadSession } from '../../app/dashboard/sign-in.js';
import { findTest, homeView, repoStatusView, testView } from '../../app/dashboard/views.js';
import { ServiceError } from '../../core/errors.js';
import { isRepoName, isSlug } from '../../core/ids.js';
import { STATUS_PAGE_CSS } from '../status/render-page.js';
import { DASHBOARD_CSS, LIVE_JS } from './assets.js';
import { authRoute } from './auth-routes.js';
import {
  type Ctx,
  type Dashboard,
  type DashboardDeps,
  LIVE_STREAMS_PER_PERSON,
  notFound,
  toSignIn,
  viewerOf,
} from './context.js';
import type { Viewer } from './html.js';
import { parseCookies, SECURITY_HEADERS, SESSION_COOKIE, sendHtml } from './http-util.js';
import { homePage, messagePage, repoPage, signInPage, testPage } from './pages.js';
import { serveRunRoute } from './run-routes.js';
import { liveEventsRoute, runNowRoute, shotRoute } from './test-routes.js';

export { type DashboardDeps, LIVE_STREAMS_PER_PERSON } from './context.js';

/** Files, so the Content-Security-Policy can forbid every inline script and style. */
const ASSETS: Record<string, { type: string; body: string }> = {
  '/assets/live.js': { type: 'text/javascript; charset=utf-8', body: LIVE_JS },
  '/assets/dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  // The status page's stylesheet, for its components on the repository page.
  '/assets/status.css': { type: 'text/css; charset=utf-8', body: STATUS_PAGE_CSS },
};

/** The dashboard's request handler: answers its own paths (true), leaves every other path (false). */
export function createDashboard(
  deps: DashboardDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const dash: Dashboard = {
    deps,
    secure: deps.publicUrl.startsWith('https:'),
    sessionMaxAgeS: deps.sessionTtlMs / 1000,
    liveStreams: new Map<string, number>(),
    liveCap: deps.liveStreamsPerPerson ?? LIVE_STREAMS_PER_PERSON,
  };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    const isOurs =
      path === '/' || path.startsWith('/auth/') || path.startsWith('/r/') || path.startsWith('/assets/');
    if (!isOurs) return false;
    const asset = ASSETS[path];
    if (asset) {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': asset.type,
        'cache-control': 'public, max-age=300',
      });
      res.end(asset.body);
      return true;
    }
    const local = deps.localOperator;
    const sessionId = local ? local.sessionId : parseCookies(req)[SESSION_COOKIE];
    const session = local ? local.session : await loadSession(deps, sessionId);
    const ctx: Ctx = { req, res, url, sessionId, session };
    try {
      if (path.startsWith('/auth/')) await authRoute(dash, ctx, path.slice('/auth/'.length));
      else if (path === '/') await homeRoute(dash, ctx);
      else await repoRoutes(dash, ctx, repoPathParts(path));
    } catch (error) {
      await failed(dash, ctx, error);
    }
    return true;
  };
}

/** `/r/{owner}/{name}[/{slug}[/{action}]]` split and decoded; a bad escape gives no parts (a 404). */
function repoPathParts(path: string): string[] {
  try {
    return path.slice('/r/'.length).split('/').map(decodeURIComponent);
  } catch {
    return [];
  }
}

/** `/`: the sign-in page, or the repositories this person can see. */
async function homeRoute({ deps }: Dashboard, ctx: Ctx): Promise<void> {
  const { req, res, sessionId, session } = ctx;
  if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(ctx);
  if (!session || !sessionId) return sendHtml(res, 200, signInPage());
  const view = await homeView(deps, await accessList(deps, sessionId, session));
  // A channel that keeps failing shows here; reading it must never break the page.
  const channels = (await deps.alertChannels?.().catch(() => [])) ?? [];
  sendHtml(res, 200, homePage(view, viewerOf(ctx) as Viewer, deps.webUrl, channels));
}

/** A route that threw: GitHub or Redis did not answer, or the person's GitHub token expired. */
async function failed({ deps }: Dashboard, ctx: Ctx, error: unknown): Promise<void> {
  const { req, res, sessionId } = ctx;
  // A token GitHub no longer accepts ends the session: the person signs in again.
  if (error instanceof ServiceError && error.status === 401 && sessionId) {
    await deps.dashboard.deleteSession(sessionId);
    toSignIn(ctx);
    return;
  }
  deps.logger.error(`dashboard ${req.method} ${ctx.url.pathname} failed: ${(error as Error).message}`);
  sendHtml(
    res,
    502,
    messagePage(
      'Something went wrong',
      'GitHub or Redis did not answer: try again in a moment.',
      viewerOf(ctx),
    ),
  );
}

/** A repository's page, a test's page, and the routes under a test, for a person who may see them. */
async function repoRoutes(dash: Dashboard, ctx: Ctx, parts: string[]): Promise<void> {
  const { deps } = dash;
  const [owner, name, slug, action, ...rest] = parts;
  // The run page (`runs/{runId}`) is a page too: a signed-out visitor is sent to sign in first.
  const page = (action === undefined || (action === 'runs' && rest.length === 1)) && ctx.req.method === 'GET';
  if (!ctx.session || !ctx.sessionId) {
    // A signed-out visitor is sent to sign in from a page; API routes just do not exist for them.
    if (page) toSignIn(ctx);
    else notFound(ctx);
    return;
  }
  if (
    !owner ||
    !name ||
    // core/ids.ts decides what an owner, a repository and a slug may be; anything else is no page.
    !isRepoName(`${owner}/${name}`) ||
    (slug !== undefined && !isSlug(slug)) ||
    (rest.length > 0 && action !== 'runs')
  ) {
    notFound(ctx);
    return;
  }
  const access = await repoAccess(deps, ctx.sessionId, ctx.session, `${owner}/${name}`);
  if (!access) {
    notFound(ctx);
    return;
  }
  const viewer = viewerOf(ctx) as Viewer;
  if (slug === undefined) {
    if (ctx.req.method !== 'GET') return notFound(ctx);
    sendHtml(ctx.res, 200, repoPage(await repoStatusView(deps, access), viewer, deps.webUrl));
    return;
  }
  if (action === 'runs') {
    const test = ctx.req.method === 'GET' ? await findTest(deps, access, slug) : null;
    if (!test || !(await serveRunRoute(deps.runs, ctx.res, test, rest, viewer))) notFound(ctx);
    return;
  }
  // Only the page reads the page's data; the live view, the screenshot and Run now need the test.
  const view = page && action === undefined ? await testView(deps, access, slug) : null;
  const test = page ? (view?.test ?? null) : await findTest(deps, access, slug);
  if (!test) return notFound(ctx);
  const testId = test.definition.id;
  const method = ctx.req.method;
  if (view) sendHtml(ctx.res, 200, testPage(view, viewer, deps.webUrl));
  else if (action === 'events' && method === 'GET') await liveEventsRoute(dash, ctx, viewer, testId);
  else if (action === 'shot.png' && method === 'GET') await shotRoute(dash, ctx, testId);
  else if (action === 'run' && method === 'POST') await runNowRoute(dash, ctx, access, test.definition);
  else notFound(ctx);
}
