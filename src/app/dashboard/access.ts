/**
 * What a signed-in person may see: repositories where the app is installed and GitHub says the
 * person can read, asked with the person's own token and cached in Redis for a few minutes.
 */
import { accessTo, type RepoAccess } from '../../core/dashboard/access.js';
import type { DashboardStore, GitHubUserApi, Session } from '../../core/dashboard/ports.js';

export const ACCESS_TTL_MS = 5 * 60_000;

export interface AccessDeps {
  dashboard: DashboardStore;
  github: GitHubUserApi;
}

/** Every repository the person may see. */
export async function accessList(
  deps: AccessDeps,
  sessionId: string,
  session: Session,
): Promise<RepoAccess[]> {
  const cached = await deps.dashboard.getAccess(sessionId);
  if (cached) return cached;
  const fresh = await deps.github.access(session.token);
  await deps.dashboard.saveAccess(sessionId, fresh, ACCESS_TTL_MS);
  return fresh;
}

/** The person's access to `repo`, or null (the caller answers 404, whatever the reason). */
export async function repoAccess(
  deps: AccessDeps,
  sessionId: string,
  session: Session,
  repo: string,
): Promise<RepoAccess | null> {
  return accessTo(await accessList(deps, sessionId, session), repo);
}
