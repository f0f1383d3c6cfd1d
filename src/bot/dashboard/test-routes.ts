/**
 * The routes under a test that are not its page: the live view's event stream (a few per person),
 * the failure screenshot, and Run now (CSRF, the per-test and per-person limits, a free run slot,
 * then GitHub's word on the person's permission).
 */
import { runFromDashboard } from '../../app/dashboard/run-from-dashboard.js';
import { admitRunNow } from '../../app/dashboard/run-now-gate.js';
import { sameSecret } from '../../app/dashboard/sign-in.js';
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { Session } from '../../core/dashboard/ports.js';
import type { TestDefinition } from '../../core/types.js';
import { type Ctx, type Dashboard, notFound, viewerOf } from './context.js';
import type { Viewer } from './html.js';
import { readForm, redirect, SECURITY_HEADERS, sendHtml } from './http-util.js';
import { serveLiveEvents } from './live-route.js';
import { messagePage } from './pages.js';

/**
 * The live view of `testId`. Views of a test share one Redis reader (app/live-fanout.ts); each
 * still holds a socket and a share of the fan-out, so a person gets a few at once, not a flood.
 */
export async function liveEventsRoute(
  dash: Dashboard,
  ctx: Ctx,
  viewer: Viewer,
  testId: string,
): Promise<void> {
  const { deps, liveStreams } = dash;
  const login = viewer.login.toLowerCase();
  const open = liveStreams.get(login) ?? 0;
  if (open >= dash.liveCap) {
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
}

/** The newest failure screenshot of `testId`, or a 404. */
export async function shotRoute(dash: Dashboard, ctx: Ctx, testId: string): Promise<void> {
  const shot = await dash.deps.dashboard.getShot(testId);
  if (!shot) return notFound(ctx);
  ctx.res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'image/png' });
  ctx.res.end(Buffer.from(shot.pngBase64, 'base64'));
}

/** Run now: starts a manual run of `test` and sends the person to its page, which follows it live. */
export async function runNowRoute(dash: Dashboard, ctx: Ctx, access: RepoAccess, test: TestDefinition) {
  const { deps } = dash;
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
      {
        'retry-after': '30',
      },
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
    const text = `Only people with write access to ${access.repo} can run its tests.`;
    sendHtml(ctx.res, 403, messagePage('Not run', text, viewer));
    return;
  }
  redirect(ctx.res, `${ctx.url.pathname.replace(/\/run$/, '')}#live-title`);
}
