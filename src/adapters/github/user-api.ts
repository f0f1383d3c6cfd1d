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

type Request = typeof octokitRequest;

/** One API's client settings: the OAuth app, the request defaults, and the time each call may take. */
interface UserApiClient {
  options: UserApiOptions;
  /** The request every call starts from: the API base URL and HouseCat's user agent. */
  base: Request;
  timeoutMs: number;
}

/** Creates GitHub's side of the dashboard's sign-in, and the person's view of the app's installations. */
export function createGitHubUserApi(options: UserApiOptions): GitHubUserApi {
  const client: UserApiClient = {
    options,
    base: octokitRequest.defaults({
      ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}),
      headers: { 'user-agent': 'housecat-dashboard' },
    }),
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  return {
    authorizeUrl: (input) => authorizeUrl(client, input),
    exchangeCode: (input) => exchangeCode(client, input),
    user: (token) => readUser(client, token),
    access: (token) => listAccess(client, token),
  };
}

/** Request options that end the call after the client's timeout. */
function withSignal(client: UserApiClient) {
  return { request: { signal: AbortSignal.timeout(client.timeoutMs) } };
}

/** The request of the person with `token`. */
function asUser(client: UserApiClient, token: string): Request {
  return client.base.defaults({ headers: { authorization: `token ${token}` } });
}

/** GitHub's authorize page for the app, with the PKCE challenge @octokit/oauth-methods does not add. */
function authorizeUrl(
  client: UserApiClient,
  { state, codeChallenge, redirectUrl }: Parameters<GitHubUserApi['authorizeUrl']>[0],
): string {
  const { url } = getWebFlowAuthorizationUrl({
    clientType: 'github-app',
    clientId: client.options.clientId,
    redirectUrl,
    state,
    request: client.base,
  });
  const withPkce = new URL(url);
  withPkce.searchParams.set('code_challenge', codeChallenge);
  withPkce.searchParams.set('code_challenge_method', 'S256');
  return withPkce.toString();
}

/** Exchanges the code from GitHub's redirect (with the PKCE verifier) for the person's token. */
async function exchangeCode(
  client: UserApiClient,
  { code, codeVerifier, redirectUrl }: Parameters<GitHubUserApi['exchangeCode']>[0],
): Promise<{ token: string }> {
  try {
    const { authentication } = await exchangeWebFlowCode({
      clientType: 'github-app',
      clientId: client.options.clientId,
      clientSecret: client.options.clientSecret,
      code,
      redirectUrl,
      request: client.base.defaults({ code_verifier: codeVerifier, ...withSignal(client) }),
    });
    return { token: authentication.token };
  } catch (error) {
    throw githubError(
      'exchange the sign-in code (check GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)',
      'OAuth',
      error,
    );
  }
}

async function readUser(client: UserApiClient, token: string): Promise<{ login: string; id: number }> {
  try {
    const { data } = await asUser(client, token)('GET /user', withSignal(client));
    return { login: data.login, id: Number(data.id) };
  } catch (error) {
    throw githubError('read the signed-in user', 'GET /user', error);
  }
}

/** The repositories of every installation of the app the person can see, with their permission. */
async function listAccess(client: UserApiClient, token: string): Promise<RepoAccess[]> {
  const request = asUser(client, token);
  const out: RepoAccess[] = [];
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await request('GET /user/installations', {
        per_page: PER_PAGE,
        page,
        ...withSignal(client),
      });
      const list = (data as InstallationsPage).installations;
      for (const installation of list) await addRepos(client, request, installation.id, out);
      if (list.length < PER_PAGE) break;
    }
  } catch (error) {
    throw githubError("list the person's installations", 'GET /user/installations', error);
  }
  return out;
}

/** Adds the repositories of one installation the person has a permission on to `out`. */
async function addRepos(client: UserApiClient, request: Request, installationId: number, out: RepoAccess[]) {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await request('GET /user/installations/{installation_id}/repositories', {
      installation_id: installationId,
      per_page: PER_PAGE,
      page,
      ...withSignal(client),
    });
    const list = (data as ReposPage).repositories;
    for (const repo of list) {
      const permission = permissionFromFlags(repo.permissions);
      if (permission) out.push({ repo: repo.full_name, installationId, permission });
    }
    if (list.length < PER_PAGE) break;
  }
}
