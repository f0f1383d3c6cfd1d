/**
 * The dashboard of `housecat up` (test pages, live view, Run now), in one of two modes: the local
 * operator (loopback, or `--no-auth`), or Sign in with GitHub (GITHUB_CLIENT_ID and _SECRET, for a
 * non-loopback address). It is the app's own dashboard (src/bot/dashboard/routes.ts); only who is
 * served differs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Storage } from '../../adapters/compose-storage.js';
import { createGitHubUserApi } from '../../adapters/github/user-api.js';
import { createLocalAccess } from '../../app/dashboard/local-access.js';
import type { RunNowDeps } from '../../app/run-now.js';
import type { Sealer } from '../../core/dashboard/sealer.js';
import { dashboardOver } from '../dashboard/index.js';
import type { RunSlots } from '../run-slots.js';

/** Who the local dashboard serves. */
export type LocalDashboardAccess =
  | { kind: 'local' }
  | { kind: 'github'; clientId: string; clientSecret: string; apiUrl?: string };

/** The app's dashboard (dashboardOver) for `up`: the local operator, or GitHub sign-in with up's own token. */
export function buildLocalDashboard(args: {
  access: LocalDashboardAccess;
  pageUrl: string;
  repo: string;
  storage: Storage;
  sealer: Sealer;
  run: RunNowDeps;
  slots: RunSlots;
  /** GitHub sign-in mode: a person's permission on the repository, asked with GITHUB_TOKEN. */
  permissionOf?: (repo: string, login: string) => Promise<string>;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { access, storage, run } = args;
  const local =
    access.kind === 'local' ? createLocalAccess({ clock: run.clock, repos: () => [args.repo] }) : null;
  const github =
    local?.github ??
    createGitHubUserApi({
      clientId: access.kind === 'github' ? access.clientId : '',
      clientSecret: access.kind === 'github' ? access.clientSecret : '',
      ...(access.kind === 'github' && access.apiUrl ? { apiUrl: access.apiUrl } : {}),
    });
  return dashboardOver({
    publicUrl: args.pageUrl,
    webUrl: 'https://github.com',
    storage,
    dashboard: storage.dashboard(args.sealer),
    sealer: args.sealer,
    run,
    slots: args.slots,
    github,
    ...(local ? { localOperator: local.operator } : {}),
    // Signed in with GitHub there is no App installation to ask: `permissionOf` asks with the
    // token incidents use (GITHUB_TOKEN), and without one nobody may run tests from the page.
    permissionOf: local?.permissionOf ?? args.permissionOf ?? (async () => 'read'),
  });
}
