/**
 * The dashboard's local-access mode, for `housecat up` only: the machine's one operator, served
 * without Sign in with GitHub, may see and run the tests of the repositories this process monitors.
 * It is an explicit mode of the dashboard (DashboardDeps.localOperator), built here and nowhere
 * else: `housecat serve` has no setting that turns it on, and `up` turns it on only on a loopback
 * address or with `--no-auth` (the banner then warns).
 */
import { randomBytes } from 'node:crypto';
import type { RepoAccess } from '../../core/dashboard/access.js';
import type { GitHubUserApi, Session } from '../../core/dashboard/ports.js';
import type { Clock } from '../../core/ports.js';

/** The operator a local dashboard serves every request as. */
export interface LocalOperator {
  /** Names this process's operator in the access cache (never a cookie: nothing is sent to the browser). */
  sessionId: string;
  session: Session;
}

export interface LocalAccess {
  operator: LocalOperator;
  /** Lists the monitored repositories, each with admin rights (the operator owns this machine). */
  github: GitHubUserApi;
  /** Run now's permission check: the operator may run every monitored test. */
  permissionOf(repo: string, login: string): Promise<string>;
}

/** The login shown on the local dashboard. */
export const LOCAL_LOGIN = 'local';

/** Builds the local-access mode over the repositories `repos()` names. */
export function createLocalAccess(deps: { clock: Clock; repos: () => readonly string[] }): LocalAccess {
  const now = deps.clock.now();
  const operator: LocalOperator = {
    // A fresh id per process: a previous process's cached access list is never read.
    sessionId: `local-${randomBytes(16).toString('hex')}`,
    session: {
      login: LOCAL_LOGIN,
      userId: 0,
      token: '',
      // POST forms still carry it: another site's page cannot post to the local dashboard.
      csrf: randomBytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: Number.MAX_SAFE_INTEGER,
    },
  };
  const refuse = (): never => {
    throw new Error('the local dashboard has no GitHub sign-in');
  };
  const monitored = (repo: string) => deps.repos().some((r) => r.toLowerCase() === repo.toLowerCase());
  return {
    operator,
    github: {
      authorizeUrl: refuse,
      exchangeCode: async () => refuse(),
      user: async () => refuse(),
      access: async (): Promise<RepoAccess[]> =>
        deps.repos().map((repo) => ({ repo, installationId: 0, permission: 'admin' })),
    },
    permissionOf: async (repo) => (monitored(repo) ? 'admin' : 'none'),
  };
}
