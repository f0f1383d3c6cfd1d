/**
 * Finds the app installation for a repository (`GET /repos/{owner}/{repo}/installation`, as the app)
 * and hands out installation clients. Ids are cached per process; a 401/404 forgets them so an
 * uninstall and reinstall heals without a restart.
 */
import type { Probot } from 'probot';
import { githubError, statusOf } from './errors.js';
import type { GitHubOctokit } from './issue-tracker.js';

export interface InstallationClients {
  octokitFor(repo: string): Promise<GitHubOctokit>;
  /** Remembers an installation id seen in a webhook payload. */
  remember(repo: string, installationId: number): void;
}

export function createInstallationClients(probot: Probot): InstallationClients {
  const ids = new Map<string, number>();
  // One client per installation: it renews its installation token by itself when it expires.
  const clients = new Map<number, Promise<GitHubOctokit>>();
  return {
    remember(repo, installationId) {
      ids.set(repo.toLowerCase(), installationId);
    },
    async octokitFor(repo) {
      const key = repo.toLowerCase();
      let id = ids.get(key);
      if (id === undefined) {
        const [owner, name] = key.split('/') as [string, string];
        try {
          const app = await probot.auth();
          const { data } = await app.request('GET /repos/{owner}/{repo}/installation', { owner, repo: name });
          id = data.id;
          ids.set(key, id);
        } catch (error) {
          if (statusOf(error) === 404) ids.delete(key);
          throw githubError('find the app installation', repo, error);
        }
      }
      let client = clients.get(id);
      if (!client) {
        client = probot.auth(id) as Promise<GitHubOctokit>;
        clients.set(id, client);
        client.catch(() => clients.delete(id as number));
      }
      return client;
    },
  };
}

/**
 * The permission of `login` on `repo` (admin, maintain, write, triage, read, none), asked as the
 * app's installation. A failure is a ServiceError: 5xx and rate limits are retryable.
 */
export async function permissionOn(
  clients: InstallationClients,
  repo: string,
  login: string,
): Promise<string> {
  const octokit = await clients.octokitFor(repo);
  const [owner, name] = repo.split('/') as [string, string];
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
      owner,
      repo: name,
      username: login,
    });
    return data.permission;
  } catch (error) {
    throw githubError(`read the permission of ${login}`, repo, error);
  }
}
