/**
 * The private dashboard behind Sign in with GitHub (docs/bot.md, "Dashboard"). A person sees a
 * repository only when the app is installed on it and GitHub says they can read it; anything else
 * answers 404, exactly like a repository that does not exist, so no private name leaks. POST forms
 * carry the session's CSRF token; a refused request writes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AccessDeps, accessList, repoAccess } from '../../app/dashboard/access.js';
import { runFromDashboard } from '../../app/dashboard/run-from-dashboard.js';
import { admitRunNow, type RunNowGateDeps } from '../../app/dashboard/run-now-gate.js';
import {
  beginSignIn,
  completeSignIn,
  loadSession,
  SIGN_IN_TTL_MS,
  type SignInDeps,
  sameSecret,
} from '../../app/dashboard/sign-in.js';
import { findTest, homeView, repoStatusView, testView, type ViewDeps } from '../../app/dashboard/views.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { EventFeed, Session } from '../../core/dashboard/ports.js';
import { ServiceError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import type { RunRecordStore } from '../../core/run/run-record.js';
import type { RunSlots } from '../run-slots.js';
import { STATUS_PAGE_CSS } from '../status/render-page.js';
import { DASHBOARD_CSS, LIVE_JS } from './assets.js';
import type { Viewer } from './html.js';
import {
  cookie,
  parseCookies,
  readForm,
  redirect,
  SECURITY_HEADERS,
  SESSION_COOKIE,
  STATE_COOKIE,
  sendHtml,
} from './http-util.js';
import { serveLiveEvents } from './live-route.js';
import { homePage, messagePage, repoPage, signInPage, testPage } from './pages.js';
import { serveRunRoute } from './run-routes.js';

export interface DashboardDeps extends SignInDeps, AccessDeps, ViewDeps {
  publicUrl: string;
  /** GitHub's web address for issue links (https://github.com, or the GHE host). */
  webUrl: string;
  feed: EventFeed;
  run: RunNowDeps;
  slots: RunSlots;
  /** Run now's limits per test and per person (Redis, shared by replicas). */
  runGate: RunNowGateDeps;
  /** The person's permission on `repo` as GitHub reports it now (the `/housecat run` check). */
  permissionOf(repo: string, login: string): Promise<string>;
  logger: Logger;
  liveMaxMs?: number;
  /** Open live views one person may hold in this process (default 5). */
  liveStreamsPerPerson?: number;
  /** Run records, screenshots and traces for the run page (issue 29); unset: no run pages. */
  runs?: RunRecordStore;
}

/** Open live views per person and process: a few tabs, not a flood of Redis readers. */
export const LIVE_STREAMS_PER_PERSON = 5;

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const SLUG = /^[A-Za-z0-9._-]{1,100}$/;

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  sessionId: string | undefined;
  session: Session | null;
}

/** Files, so the Content-Security-Policy can forbid every inline script and style. */
const ASSETS: Record<string, { type: string; body: string }> = {
  '/assets/live.js': { type: 'text/javascript; charset=utf-8', body: LIVE_JS },
  '/assets/dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  // The status page's stylesheet, for its components on the repository page.
  '/assets/status.css': { type: 'text/css; charset=utf-8', body: STATUS_PAGE_CSS },
};

export function createDashboard(
  deps: DashboardDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const secure = deps.publicUrl.startsWith('https:');
  // Open live views per person in this process (connections are per process, like run slots).
  const liveStreams = new Map<string, number>();
  const liveCap = deps.liveStreamsPerPerson ?? LIVE_STREAMS_PER_PERSON;
  const sessionMaxAgeS = deps.sessionTtlMs / 1000;
  const notFound = (ctx: Ctx) =>
    sendHtml(
      ctx.res,
      404,
      messagePage('Not found', 'There is nothing here, or you cannot see it.', viewerOf(ctx)),
    );
  const viewerOf = (ctx: Ctx): Viewer | undefined =>
    ctx.session ? { login: ctx.session.login, csrf: ctx.session.csrf } : undefined;
  const toSignIn = (ctx: Ctx) =>
    redirect(ctx.res, `/auth/login?return_to=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}`);

  const auth = async (ctx: Ctx, action: string): Promise<void> => {
    const { req, res, url } = ctx;
    if (action === 'login' && req.method === 'GET') {
      // Nothing is written anywhere: the attempt travels sealed in the browser's cookie.
      const { cookie: sealed, url: github } = beginSignIn(deps, url.searchParams.get('return_to'));
      redirect(res, github, {
        'set-cookie': cookie(STATE_COOKIE, sealed, {
          secure,
          maxAgeS: SIGN_IN_TTL_MS / 1000,
          path: '/auth',
        }),
      });
      return;
    }
    if (action === 'callback' && req.method === 'GET') {
      const clearState = cookie(STATE_COOKIE, '', { secure, maxAgeS: 0, path: '/auth' });
      const outcome = await completeSignIn(deps, {
        state: url.searchParams.get('state') ?? undefined,
        stateCookie: parseCookies(req)[STATE_COOKIE],
        code: url.searchParams.get('code') ?? undefined,
      });
      if (!outcome.ok) {
        deps.logger.warn(`sign-in refused: ${outcome.reason}`);
        sendHtml(res, 400, messagePage('Sign-in failed', `${outcome.reason}. Please sign in again.`), {
          'set-cookie': clearState,
        });
        return;
      }
      const session = cookie(SESSION_COOKIE, outcome.sessionId, { secure, maxAgeS: sessionMaxAgeS });
      redirect(res, outcome.returnTo, { 'set-cookie': [clearState, session] });
      return;
    }
    if (action === 'logout' && req.method === 'POST') {
      const form = await readForm(req);
      if (!ctx.session || !ctx.sessionId || !sameSecret(form?.get('csrf') ?? undefined, ctx.session.csrf)) {
        sendHtml(res, 403, messagePage('Not signed out', 'The form expired: reload the page and try again.'));
        return;
      }
      await deps.dashboard.deleteSession(ctx.sessionId);
      redirect(res, '/', { 'set-cookie': cookie(SESSION_COOKIE, '', { secure, maxAgeS: 0 }) });
      return;
    }
    notFound(ctx);
  };

  const repoRoutes = async (ctx: Ctx, parts: string[]): Promise<void> => {
    const [owner, name, slug, action, ...rest] = parts;
    // The run page (`runs/{runId}`) is a page too: a signed-out visitor is sent to sign in first.
    const page =
      (action === undefined || (action === 'runs' && rest.length === 1)) && ctx.req.method === 'GET';
    if (!ctx.session || !ctx.sessionId) {
      // A signed-out visitor is sent to sign in from a page; API routes just do not exist for them.
      if (page) toSignIn(ctx);
      else notFound(ctx);
      return;
    }
    if (
      !owner ||
      !name ||
      !OWNER.test(owner) ||
      !NAME.test(name) ||
      (slug !== undefined && !SLUG.test(slug)) ||
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
    const view = page ? await testView(deps, access, slug) : null;
    const test = page ? (view?.test ?? null) : await findTest(deps, access, slug);
    if (!test) return notFound(ctx);
    const testId = test.definition.id;
    if (view) {
      sendHtml(ctx.res, 200, testPage(view, viewer, deps.webUrl));
    } else if (action === 'events' && ctx.req.method === 'GET') {
      // Views of a test share one Redis reader (app/live-fanout.ts); each still holds a socket and
      // a share of the fan-out, so a person gets a few at once, not a flood.
      const login = viewer.login.toLowerCase();
      const open = liveStreams.get(login) ?? 0;
      if (open >= liveCap) {
        sendHtml(
          ctx.res,
          429,
          messagePage('Too many live views', `Close one of your ${open} open live views and reload.`, viewer),
          { 'retry-after': '30' },
        );
        return;
      }
      liveStreams.set(login, open + 1);
      try {
        await serveLiveEvents(
          { ...deps, ...(deps.liveMaxMs ? { maxMs: deps.liveMaxMs } : {}) },
          ctx.req,
          ctx.res,
          testId,
          ctx.url.searchParams.get('after'),
        );
      } finally {
        const left = (liveStreams.get(login) ?? 1) - 1;
        if (left > 0) liveStreams.set(login, left);
        else liveStreams.delete(login);
      }
    } else if (action === 'shot.png' && ctx.req.method === 'GET') {
      const shot = await deps.dashboard.getShot(testId);
      if (!shot) return notFound(ctx);
      ctx.res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'image/png' });
      ctx.res.end(Buffer.from(shot.pngBase64, 'base64'));
    } else if (action === 'run' && ctx.req.method === 'POST') {
      await runNow(ctx, access, test.definition);
    } else {
      notFound(ctx);
    }
  };

  const runNow = async (
    ctx: Ctx,
    access: RepoAccess,
    test: Parameters<typeof runFromDashboard>[1]['test'],
  ) => {
    const session = ctx.session as Session;
    const viewer = viewerOf(ctx);
    const form = await readForm(ctx.req);
    if (!sameSecret(form?.get('csrf') ?? undefined, session.csrf)) {
      sendHtml(
        ctx.res,
        403,
        messagePage('Not run', 'The form expired: reload the page and try again.', viewer),
      );
      return;
    }
    // Limits first: a refused click costs no GitHub call and no slot.
    const gate = await admitRunNow(deps.runGate, {
      login: session.login,
      testId: test.id,
      holdMs: test.timeout * 1000 + 60_000,
    });
    if (!gate.ok) {
      const text =
        gate.reason === 'running'
          ? `${test.name} is already running: its page follows the run live.`
          : `You started several runs in the last minute: try again in ${gate.retryAfterS} s.`;
      sendHtml(ctx.res, 429, messagePage('Not run', text, viewer), {
        'retry-after': String(gate.reason === 'rate' ? gate.retryAfterS : 30),
      });
      return;
    }
    // Manual runs never take the last slot: scheduled runs of every repository come first.
    const slot = deps.slots.manual.tryAcquire();
    if (!slot) {
      await gate.release();
      sendHtml(
        ctx.res,
        503,
        messagePage('Not run', 'Every run slot of this app is busy: try again in 30 s.', viewer),
        { 'retry-after': '30' },
      );
      return;
    }
    const release = () => {
      slot();
      gate.release().catch(() => undefined);
    };
    const outcome = await runFromDashboard(deps.run, {
      test,
      login: session.login,
      permissionOf: () => deps.permissionOf(access.repo, session.login),
      done: release,
    }).catch((error: unknown) => {
      release();
      throw error;
    });
    if (outcome === 'forbidden') {
      release();
      sendHtml(
        ctx.res,
        403,
        messagePage('Not run', `Only people with write access to ${access.repo} can run its tests.`, viewer),
      );
      return;
    }
    redirect(ctx.res, `${ctx.url.pathname.replace(/\/run$/, '')}#live-title`);
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
    const sessionId = parseCookies(req)[SESSION_COOKIE];
    const ctx: Ctx = { req, res, url, sessionId, session: await loadSession(deps, sessionId) };
    try {
      if (path.startsWith('/auth/')) await auth(ctx, path.slice('/auth/'.length));
      else if (path === '/') {
        if (req.method !== 'GET' && req.method !== 'HEAD') notFound(ctx);
        else if (!ctx.session || !sessionId) sendHtml(res, 200, signInPage());
        else
          sendHtml(
            res,
            200,
            homePage(
              await homeView(deps, await accessList(deps, sessionId, ctx.session)),
              viewerOf(ctx) as Viewer,
              deps.webUrl,
            ),
          );
      } else {
        let parts: string[];
        try {
          parts = path.slice('/r/'.length).split('/').map(decodeURIComponent);
        } catch {
          parts = [];
        }
        await repoRoutes(ctx, parts);
      }
    } catch (error) {
      // A token GitHub no longer accepts ends the session: the person signs in again.
      if (error instanceof ServiceError && error.status === 401 && sessionId) {
        await deps.dashboard.deleteSession(sessionId);
        toSignIn(ctx);
        return true;
      }
      deps.logger.error(`dashboard ${req.method} ${path} failed: ${(error as Error).message}`);
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
    return true;
  };
}
