/**
 * GitHub as the signed-in person sees it: the OAuth web flow of the GitHub App (authorize URL and
 * code exchange through @octokit/oauth-methods) and the person's own view of the app's
 * installations. Every call after sign-in uses the person's token, so GitHub itself decides what
 * they may see.
 *
 * @octokit/oauth-methods 6 does not send PKCE's `code_verifier`: the exchange gets a request whose
 * defaults carry it, and @octokit/request puts parameters that are not in the URL into the POST body.
 */
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import { permissionFromFlags, type RepoAccess } from '../../core/dashboard/access.js';
import type { GitHubUserApi } from '../../core/dashboard/ports.js';
import { githubError } from './errors.js';

export interface UserApiOptions {
  clientId: string;
  clientSecret: string;
  /** REST API base URL (default https://api.github.com); OAuth pages derive from it as Octokit does. */
  apiUrl?: string;
  /** Milliseconds per request (default 10 s). */
  timeoutMs?: number;
}

interface InstallationsPage {
  total_count: number;
  installations: { id: number }[];
}

interface ReposPage {
  total_count: number;
  repositories: { full_name: string; permissions?: Record<string, boolean> }[];
}

const PER_PAGE = 100;
/** A person with more than this many pages of installations or repositories sees the first ones. */
const MAX_PAGES = 10;

export function createGitHubUserApi(options: UserApiOptions): GitHubUserApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = octokitRequest.defaults({
    ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}),
    headers: { 'user-agent': 'housecat-dashboard' },
  });
  const withSignal = () => ({ request: { signal: AbortSignal.timeout(timeoutMs) } });
  const asUser = (token: string) => base.defaults({ headers: { authorization: `token ${token}` } });

  return {
    authorizeUrl({ state, codeChallenge, redirectUrl }) {
      const { url } = getWebFlowAuthorizationUrl({
        clientType: 'github-app',
        clientId: options.clientId,
        redirectUrl,
        state,
        request: base,
      });
      const withPkce = new URL(url);
      withPkce.searchParams.set('code_challenge', codeChallenge);
      withPkce.searchParams.set('code_challenge_method', 'S256');
      return withPkce.toString();
    },
    async exchangeCode({ code, codeVerifier, redirectUrl }) {
      try {
        const { authentication } = await exchangeWebFlowCode({
          clientType: 'github-app',
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          code,
          redirectUrl,
          request: base.defaults({ code_verifier: codeVerifier, ...withSignal() }),
        });
        return { token: authentication.token };
      } catch (error) {
        throw githubError(
          'exchange the sign-in code (check GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)',
          'OAuth',
          error,
        );
      }
    },
    async user(token) {
      try {
        const { data } = await asUser(token)('GET /user', withSignal());
        return { login: data.login, id: Number(data.id) };
      } catch (error) {
        throw githubError('read the signed-in user', 'GET /user', error);
      }
    },
    async access(token) {
      const request = asUser(token);
      const out: RepoAccess[] = [];
      try {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const { data } = await request('GET /user/installations', {
            per_page: PER_PAGE,
            page,
            ...withSignal(),
          });
          const list = (data as InstallationsPage).installations;
          for (const installation of list) await addRepos(request, installation.id, out);
          if (list.length < PER_PAGE) break;
        }
      } catch (error) {
        throw githubError("list the person's installations", 'GET /user/installations', error);
      }
      return out;
    },
  };

  async function addRepos(request: ReturnType<typeof asUser>, installationId: number, out: RepoAccess[]) {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await request('GET /user/installations/{installation_id}/repositories', {
        installation_id: installationId,
        per_page: PER_PAGE,
        page,
        ...withSignal(),
      });
      const list = (data as ReposPage).repositories;
      for (const repo of list) {
        const permission = permissionFromFlags(repo.permissions);
        if (permission) out.push({ repo: repo.full_name, installationId, permission });
      }
      if (list.length < PER_PAGE) break;
    }
  }
}
