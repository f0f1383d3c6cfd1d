/**
 * `/auth/*`: Sign in with GitHub (login, GitHub's callback) and sign out. Nothing is written while a
 * person is on GitHub's page: the attempt travels sealed in a cookie; a session is written only once
 * GitHub's answer checks out, and sign out needs the session's CSRF token.
 */
import { beginSignIn, completeSignIn, SIGN_IN_TTL_MS, sameSecret } from '../../app/dashboard/sign-in.js';
import { type Ctx, type Dashboard, notFound } from './context.js';
import {
  cookie,
  parseCookies,
  readForm,
  redirect,
  SESSION_COOKIE,
  STATE_COOKIE,
  sendHtml,
} from './http-util.js';
import { messagePage } from './pages.js';

/** Answers `/auth/{action}`; anything else under /auth is a 404. */
export async function authRoute(dash: Dashboard, ctx: Ctx, action: string): Promise<void> {
  const method = ctx.req.method;
  // Nobody signs in or out of the local dashboard.
  if (dash.deps.localOperator) return redirect(ctx.res, '/');
  if (action === 'login' && method === 'GET') return login(dash, ctx);
  if (action === 'callback' && method === 'GET') return callback(dash, ctx);
  if (action === 'logout' && method === 'POST') return logout(dash, ctx);
  notFound(ctx);
}

function login({ deps, secure }: Dashboard, { res, url }: Ctx): void {
  // Nothing is written anywhere: the attempt travels sealed in the browser's cookie.
  const { cookie: sealed, url: github } = beginSignIn(deps, url.searchParams.get('return_to'));
  redirect(res, github, {
    'set-cookie': cookie(STATE_COOKIE, sealed, {
      secure,
      maxAgeS: SIGN_IN_TTL_MS / 1000,
      path: '/auth',
    }),
  });
}

async function callback({ deps, secure, sessionMaxAgeS }: Dashboard, { req, res, url }: Ctx): Promise<void> {
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
}

async function logout({ deps, secure }: Dashboard, ctx: Ctx): Promise<void> {
  const form = await readForm(ctx.req);
  if (!ctx.session || !ctx.sessionId || !sameSecret(form?.get('csrf') ?? undefined, ctx.session.csrf)) {
    sendHtml(ctx.res, 403, messagePage('Not signed out', 'The form expired: reload the page and try again.'));
    return;
  }
  await deps.dashboard.deleteSession(ctx.sessionId);
  redirect(ctx.res, '/', { 'set-cookie': cookie(SESSION_COOKIE, '', { secure, maxAgeS: 0 }) });
}
