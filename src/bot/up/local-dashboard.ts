/**
 * The dashboard of `housecat up` (test pages, live view, Run now), in one of two modes: the local
 * operator (loopback, or `--no-auth`), or Sign in with GitHub (GITHUB_CLIENT_ID and _SECRET, for a
 * non-loopback address). It is the app's own dashboard (src/bot/dashboard/routes.ts); only who is
 * served differs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGitHubUserApi } from '../../adapters/github/user-api.js';
import { createDashboardStore } from '../../adapters/store/dashboard-store.js';
import { createEventFeed } from '../../adapters/store/event-follower.js';
import type { RedisStore } from '../../adapters/store/redis-store.js';
import { statusStoreOf } from '../../adapters/store/status-store.js';
import { createLocalAccess } from '../../app/dashboard/local-access.js';
import { fanOutFeed } from '../../app/live-fanout.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import { DEFAULT_SESSION_TTL_MS } from '../dashboard/index.js';
import { createDashboard } from '../dashboard/routes.js';
import type { RunSlots } from '../run-slots.js';

/** Who the local dashboard serves. */
export type LocalDashboardAccess =
  | { kind: 'local' }
  | { kind: 'github'; clientId: string; clientSecret: string; apiUrl?: string };

export function buildLocalDashboard(args: {
  access: LocalDashboardAccess;
  pageUrl: string;
  repo: string;
  store: RedisStore;
  sealer: Sealer;
  run: RunNowDeps;
  slots: RunSlots;
  /** GitHub sign-in mode: a person's permission on the repository, asked with GITHUB_TOKEN. */
  permissionOf?: (repo: string, login: string) => Promise<string>;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { access, store, run } = args;
  const dashboard = createDashboardStore(store, args.sealer);
  const local =
    access.kind === 'local' ? createLocalAccess({ clock: run.clock, repos: () => [args.repo] }) : null;
  const github =
    local?.github ??
    createGitHubUserApi({
      clientId: access.kind === 'github' ? access.clientId : '',
      clientSecret: access.kind === 'github' ? access.clientSecret : '',
      ...(access.kind === 'github' && access.apiUrl ? { apiUrl: access.apiUrl } : {}),
    });
  return createDashboard({
    publicUrl: args.pageUrl,
    webUrl: 'https://github.com',
    redirectUrl: `${args.pageUrl}/auth/callback`,
    sessionTtlMs: DEFAULT_SESSION_TTL_MS,
    store,
    dashboard,
    sealer: args.sealer,
    status: statusStoreOf(store, run.clock),
    // The run page (issue 29), as in the app.
    ...(run.runs ? { runs: run.runs } : {}),
    github,
    feed: fanOutFeed(createEventFeed(store), {
      readAfter: (testId, afterId, limit) => store.readEvents(testId, { afterId, limit }),
    }),
    clock: run.clock,
    logger: run.logger,
    run,
    slots: args.slots,
    runGate: { store, rate: store },
    ...(local ? { localOperator: local.operator } : {}),
    // Signed in with GitHub there is no App installation to ask: `permissionOf` asks with the
    // token incidents use (GITHUB_TOKEN), and without one nobody may run tests from the page.
    permissionOf: local?.permissionOf ?? args.permissionOf ?? (async () => 'read'),
  });
}
