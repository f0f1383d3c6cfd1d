/**
 * A GitHub REST API stand-in on 127.0.0.1 port 0 for Octokit/Probot (`baseUrl` → `server.url`).
 *
 * It speaks the wire protocol the real SDK uses: GitHub App auth (an RS256 JWT signed with the
 * private key this server generated → `POST /app/installations/{id}/access_tokens` → `token ghs_…`),
 * issues, issue comments, labels, check runs, reactions, collaborator permissions, Link-header
 * pagination. State is plain data tests can inspect; every request is logged; `failNext` injects
 * faults (5xx, "applied but the response never arrived", dropped sockets); content creation is
 * limited per minute like GitHub's secondary rate limit.
 *
 * Rate limits as GitHub's REST docs describe them ("Rate limits for the REST API"): every answer
 * carries `x-ratelimit-limit/-remaining/-used/-reset/-resource`; a primary or secondary limit is
 * answered with **403 or 429** (`secondaryRateLimit`, `primaryRateLimit` build such answers for
 * `failNext`; `contentLimit.status` picks one for the content limit), with or without `retry-after`;
 * a primary limit has `x-ratelimit-remaining: 0` and the reset time.
 *
 * Webhooks: `deliverWebhook` sends one signed delivery the way GitHub does, waits at most GitHub's
 * 10 s for the answer, and never sends it again by itself (GitHub redelivers only when a person
 * presses "Redeliver" or an API call asks for it).
 *
 * Other helpers may add routes with small additive edits to ROUTES below.
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { components } from '@octokit/openapi-types';
import type { Served, ServedRestRoute, WEB_FLOW_ROUTES } from './github-openapi.js';

export interface GhUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface GhLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface GhIssue {
  id: number;
  node_id: string;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: GhLabel[];
  user: GhUser;
  closed_by: GhUser | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Present when the "issue" is a pull request (PR comments go through the issues API). */
  pull_request?: { url: string };
}

export interface GhComment {
  id: number;
  repo: string;
  issue_number: number;
  body: string;
  user: GhUser;
  created_at: string;
  updated_at: string;
}

export interface GhCheckRun {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: components['schemas']['check-run']['status'];
  conclusion: components['schemas']['check-run']['conclusion'];
  output: { title?: string; summary?: string; text?: string } | null;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string | null;
}

export interface GhReaction {
  id: number;
  repo: string;
  subject: 'issue' | 'comment';
  subjectId: number;
  content: components['schemas']['reaction']['content'];
  user: GhUser;
}

export interface GhState {
  issues: GhIssue[];
  comments: GhComment[];
  /** Labels by repo (`owner/name`, lowercase). */
  labels: Map<string, GhLabel[]>;
  checkRuns: GhCheckRun[];
  reactions: GhReaction[];
  /** Issued installation tokens. */
  tokens: Map<string, { installationId: number | null; repos: string[] | null; user: GhUser }>;
  /** `repo → login → permission` (admin, maintain, write, triage, read, none). */
  permissions: Map<string, Map<string, string>>;
  /** Outstanding OAuth codes. */
  oauthCodes: Map<string, GhOAuthCode>;
  /** Codes GitHub hands out after a person registers an App from a manifest: one use, one hour. */
  manifestCodes: Map<string, { manifest: Record<string, unknown>; expiresAt: number }>;
}

export interface RecordedGhRequest {
  method: string;
  path: string;
  /** The route template, e.g. `POST /repos/{owner}/{repo}/issues`; null when no route matched. */
  route: string | null;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
  at: number;
}

/**
 * A fault for the next request(s) matching a route.
 * - `status` only: answer with this status, change nothing (e.g. 502).
 * - `apply: true`: perform the request's effect first, then fail (status, delay or drop):
 *   "GitHub created the issue but the client never saw the answer".
 * - `delayMs`: wait before answering (pair with a client timeout to simulate a timeout).
 * - `destroy`: drop the connection instead of answering.
 */
export interface GhFault {
  status?: number;
  message?: string;
  /** Headers of the failing answer (over the usual `x-ratelimit-*` ones). */
  headers?: Record<string, string>;
  /** More fields of the error body (e.g. `documentation_url`). */
  extra?: Record<string, unknown>;
  apply?: boolean;
  delayMs?: number;
  destroy?: boolean;
}

export interface GitHubServerOptions {
  appId?: number;
  /** Installations: id → repositories (`owner/name`). Default: installation 1 with no repos (add with addInstallation). */
  installations?: { id: number; repos: string[] }[];
  /**
   * Content-creation limit (issues and comments created), like GitHub's 80 per minute. Over it: a
   * secondary rate limit answered with `status` (403 by default, or 429), with `retry-after` (the
   * window, in seconds) unless `retryAfter` is false.
   */
  contentLimit?: { max: number; windowMs: number; status?: 403 | 429; retryAfter?: boolean };
  /** The App's OAuth client credentials for the web flow (defaults: Iv1.housecat / a random secret). */
  oauth?: { clientId: string; clientSecret: string };
}

/** A code GitHub's authorize page handed out, until it is exchanged (once) for a user token. */
export interface GhOAuthCode {
  login: string;
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  expiresAt: number;
}

export interface GitHubServer {
  url: string;
  appId: number;
  /** PEM of the app's private key (PKCS#1, like the one GitHub lets you download). */
  privateKey: string;
  state: GhState;
  requests: RecordedGhRequest[];
  /** The bot user installation tokens act as. */
  botUser: GhUser;
  /** Every route served, as `METHOD /template` (GitHub's REST paths, plus the OAuth web flow). */
  routes: string[];
  /** Makes the next `times` requests to `route` (e.g. `POST /repos/{owner}/{repo}/issues`) fail. */
  failNext(route: string, fault: GhFault, times?: number): void;
  /** The `x-ratelimit-limit`/`-remaining` of the last answer sent (one budget, spent one per answer). */
  lastRateBudget(): { limit: number; remaining: number } | null;
  /** Registers a repository under an installation (created when new). */
  addInstallation(id: number, repos: string[]): void;
  /** A plain token (like GITHUB_TOKEN in Actions) accepted for `repos` (all when omitted). */
  createToken(repos?: string[], login?: string): string;
  setPermission(repo: string, login: string, permission: string): void;
  /** Inserts an issue or pull request directly (as if a person had opened it). */
  seedIssue(repo: string, fields: Partial<GhIssue> & { title: string }): GhIssue;
  /** A person closes an issue in the web UI. */
  closeAsUser(repo: string, number: number, login: string): GhIssue;
  issuesOf(repo: string): GhIssue[];
  commentsOf(repo: string, issueNumber: number): GhComment[];
  /**
   * Sends one webhook delivery to `url` as GitHub does (signed with `secret`, `X-GitHub-Delivery`),
   * waits at most 10 s for the answer, and records it. Never redelivered: a failure stays failed.
   */
  deliverWebhook(
    url: string,
    secret: string,
    event: string,
    payload: unknown,
    delivery?: string,
  ): Promise<WebhookDelivery>;
  /** Every delivery sent, in order. */
  deliveries: WebhookDelivery[];
  /** Content-creation requests (issues, comments) accepted in the trailing `windowMs`. */
  contentCreatedInWindow(): number;
  /** The App's OAuth client credentials (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET). */
  oauth: { clientId: string; clientSecret: string };
  /**
   * The person signed in to "github.com" in the browser: the authorize page approves for them at
   * once (the App was authorized before). Null: the page answers 401.
   */
  signInAs(login: string | null): void;
  /**
   * A person submitted `manifest` on GitHub's "Create GitHub App" page (`/settings/apps/new`) and
   * confirmed: returns the code GitHub appends to the manifest's `redirect_url`. Converting it
   * yields this stand-in's App (its id and private key), so the registered App then works here.
   */
  registerFromManifest(manifest: Record<string, unknown>): string;
  /** User tokens handed out by the OAuth exchange, by login. */
  userTokens(login: string): string[];
  close(): Promise<void>;
}

/** One webhook delivery as GitHub's "Recent Deliveries" shows it. */
export interface WebhookDelivery {
  id: string;
  event: string;
  /** The app's answer, or null when it did not answer within 10 s (or the connection failed). */
  status: number | null;
  durationMs: number;
  /** GitHub never redelivers by itself: always 0 here. */
  redeliveries: 0;
}

/**
 * Values GitHub accepts in requests; anything else is a 422. A check run is created queued, in
 * progress or completed; its description lists `stale` too, but only GitHub may set that one.
 */
const REACTIONS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'] as const;
const CHECK_STATUSES = ['queued', 'in_progress', 'completed'] as const;
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'timed_out',
] as const;

/** GitHub stops waiting for a webhook's answer after 10 s and marks the delivery failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';
const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/**
 * A secondary rate limit as GitHub answers it: 403 or 429, a message that says so, `retry-after`
 * in seconds when given (GitHub may leave it out), and the primary counters untouched.
 */
export function secondaryRateLimit(status: 403 | 429, retryAfterS?: number): GhFault {
  return {
    status,
    message: SECONDARY_MESSAGE,
    headers: retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) },
    extra: { documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits` },
  };
}

/**
 * The primary (hourly) limit used up: 403 or 429 with `x-ratelimit-remaining: 0` and the reset in
 * UTC epoch seconds; `resetAtS` defaults to an hour from now. With `retryAfterS`, a `retry-after` too.
 */
export function primaryRateLimit(status: 403 | 429, resetAtS: number, retryAfterS?: number): GhFault {
  return {
    status,
    message: 'API rate limit exceeded for installation ID 11.',
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(resetAtS),
      ...(retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) }),
    },
    extra: { documentation_url: `${RATE_LIMIT_DOCS}#exceeding-the-rate-limit` },
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Ctx {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  user: GhUser;
  repo: string;
  res: { status: number; headers: Record<string, string> };
}

type Handler = (ctx: Ctx) => unknown;

/**
 * Every route the stand-in serves. A REST route's handler must answer the fields HouseCat reads
 * with the types GitHub's REST description gives them (github-openapi.ts), so drift fails typecheck.
 */
type RouteTable = { [R in ServedRestRoute]: (ctx: Ctx) => Served<R> } & {
  [R in (typeof WEB_FLOW_ROUTES)[number]]: Handler;
};

const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const b64url = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/** Starts the stand-in. */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const appId = options.appId ?? 4242;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const verifyKey: KeyObject = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const limit = options.contentLimit ?? { max: 80, windowMs: 60_000 };
  const botUser: GhUser = { login: 'housecat[bot]', id: 9_000_001, type: 'Bot' };

  const state: GhState = {
    issues: [],
    comments: [],
    labels: new Map(),
    checkRuns: [],
    reactions: [],
    tokens: new Map(),
    permissions: new Map(),
    oauthCodes: new Map(),
    manifestCodes: new Map(),
  };
  const oauth = options.oauth ?? { clientId: 'Iv1.housecat', clientSecret: randomBytes(20).toString('hex') };
  let browserLogin: string | null = null;
  const READABLE = new Set(['read', 'triage', 'write', 'maintain', 'admin']);
  const permissionIn = (repo: string, login: string): string =>
    state.permissions.get(repo)?.get(login.toLowerCase()) ?? 'none';
  const flagsOf = (permission: string) => {
    const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(permission);
    return { pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 };
  };
  /** GitHub answers OAuth errors with 200 and an `error` field. */
  const oauthError = (error: string, description: string) => ({
    error,
    error_description: description,
    error_uri:
      'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors',
  });
  const installations = new Map<number, Set<string>>();
  for (const inst of options.installations ?? [{ id: 1, repos: [] }]) {
    installations.set(inst.id, new Set(inst.repos.map((r) => r.toLowerCase())));
  }
  const requests: RecordedGhRequest[] = [];
  const deliveries: WebhookDelivery[] = [];
  const faults: { route: string; fault: GhFault; left: number }[] = [];
  const contentTimes: number[] = [];
  let nextId = 1000;
  const newId = () => ++nextId;
  let baseUrl = '';

  const userFor = (login: string): GhUser => ({
    login,
    id: 100 + [...login].reduce((a, c) => a + c.charCodeAt(0), 0),
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
  });
  const labelsOf = (repo: string): GhLabel[] => {
    let list = state.labels.get(repo);
    if (!list) {
      list = [];
      state.labels.set(repo, list);
    }
    return list;
  };
  const findIssue = (repo: string, number: number): GhIssue => {
    const issue = state.issues.find((i) => i.repo === repo && i.number === number);
    if (!issue) throw new HttpError(404, 'Not Found');
    return issue;
  };
  const issueJson = (i: GhIssue) => {
    const { repo, ...rest } = i;
    return {
      ...rest,
      url: `${baseUrl}/repos/${repo}/issues/${i.number}`,
      html_url: `https://github.com/${repo}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`,
      comments: state.comments.filter((c) => c.repo === repo && c.issue_number === i.number).length,
      repository_url: `${baseUrl}/repos/${repo}`,
    };
  };
  const commentJson = (c: GhComment) => {
    const { repo, issue_number, ...rest } = c;
    return {
      ...rest,
      url: `${baseUrl}/repos/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo}/issues/${issue_number}#issuecomment-${c.id}`,
      issue_url: `${baseUrl}/repos/${repo}/issues/${issue_number}`,
    };
  };
  const checkRunJson = (r: GhCheckRun) => {
    const { repo, output, ...rest } = r;
    const url = `${baseUrl}/repos/${repo}/check-runs/${r.id}`;
    return {
      ...rest,
      // GitHub always answers an output object, its unset fields null.
      output: {
        title: output?.title ?? null,
        summary: output?.summary ?? null,
        text: output?.text ?? null,
        annotations_count: 0,
        annotations_url: `${url}/annotations`,
      },
      html_url: `https://github.com/${repo}/runs/${r.id}`,
      url,
    };
  };
  const resolveLabels = (repo: string, names: unknown): GhLabel[] => {
    if (!Array.isArray(names)) return [];
    const list = labelsOf(repo);
    return names.map((n) => {
      const name = typeof n === 'string' ? n : String((n as { name?: string }).name);
      let label = list.find((l) => l.name.toLowerCase() === name.toLowerCase());
      if (!label) {
        // GitHub creates unknown labels on the fly when an issue is created or updated with them.
        label = { id: newId(), name, color: 'ededed', description: null };
        list.push(label);
      }
      return label;
    });
  };
  const countContent = () => {
    const now = Date.now();
    while (contentTimes.length > 0 && contentTimes[0]! <= now - limit.windowMs) contentTimes.shift();
    if (contentTimes.length >= limit.max) {
      const fault = secondaryRateLimit(
        limit.status ?? 403,
        limit.retryAfter === false ? undefined : Math.ceil(limit.windowMs / 1000),
      );
      throw new HttpError(fault.status!, fault.message!, fault.headers, fault.extra);
    }
    contentTimes.push(now);
  };
  const paginate = <T>(ctx: Ctx, path: string, items: T[]): T[] => {
    const perPage = Math.min(Number(ctx.query.per_page ?? 30) || 30, 100);
    const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const links: string[] = [];
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams({ ...ctx.query, per_page: String(perPage), page: String(p) });
      links.push(`<${baseUrl}${path}?${q}>; rel="${rel}"`);
    };
    if (page < last) {
      link(page + 1, 'next');
      link(last, 'last');
    }
    if (page > 1) {
      link(1, 'first');
      link(page - 1, 'prev');
    }
    if (links.length > 0) ctx.res.headers.link = links.join(', ');
    return items.slice((page - 1) * perPage, page * perPage);
  };
  const requireString = (body: Record<string, unknown>, field: string): string => {
    const value = body[field];
    if (typeof value !== 'string' || value === '') {
      throw new HttpError(
        422,
        'Validation Failed',
        {},
        { errors: [{ resource: 'Issue', field, code: 'missing_field' }] },
      );
    }
    return value;
  };

  /** A body field that must be one of GitHub's values: GitHub answers anything else with 422. */
  const oneOf = <T extends string>(
    body: Record<string, unknown>,
    field: string,
    allowed: readonly T[],
    fallback?: T,
  ): T => {
    const value = body[field] ?? fallback;
    if (allowed.includes(value as T)) return value as T;
    throw new HttpError(422, 'Validation Failed', {}, { errors: [{ field, code: 'invalid', value }] });
  };

  const TYPED_ROUTES: RouteTable = {
    'GET /login/oauth/authorize': (ctx) => {
      const q = ctx.query;
      if (q.client_id !== oauth.clientId) throw new HttpError(404, 'Not Found');
      if (!browserLogin) throw new HttpError(401, 'Sign in to GitHub first');
      if (q.code_challenge && q.code_challenge_method !== 'S256') {
        throw new HttpError(400, 'code_challenge_method must be S256');
      }
      const code = randomBytes(10).toString('hex');
      const redirectUri = q.redirect_uri ?? '';
      state.oauthCodes.set(code, {
        login: browserLogin,
        clientId: oauth.clientId,
        redirectUri,
        challenge: q.code_challenge ?? null,
        expiresAt: Date.now() + 600_000,
      });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      if (q.state !== undefined) target.searchParams.set('state', q.state);
      ctx.res.status = 302;
      ctx.res.headers.location = target.toString();
      return undefined;
    },
    'POST /login/oauth/access_token': (ctx) => {
      const b = ctx.body as Record<string, string | undefined>;
      if (b.client_id !== oauth.clientId || b.client_secret !== oauth.clientSecret) {
        return oauthError(
          'incorrect_client_credentials',
          'The client_id and/or client_secret passed are incorrect.',
        );
      }
      const grant = state.oauthCodes.get(b.code ?? '');
      if (!grant || grant.expiresAt < Date.now()) {
        return oauthError('bad_verification_code', 'The code passed is incorrect or expired.');
      }
      if (b.redirect_uri !== undefined && b.redirect_uri !== grant.redirectUri) {
        return oauthError(
          'redirect_uri_mismatch',
          'The redirect_uri MUST match the registered callback URL for this application.',
        );
      }
      if (grant.challenge !== null) {
        const given = createHash('sha256')
          .update(b.code_verifier ?? '')
          .digest('base64url');
        if (!b.code_verifier || given !== grant.challenge) {
          return oauthError('invalid_grant', 'The code_verifier does not match the code_challenge.');
        }
      }
      state.oauthCodes.delete(b.code ?? '');
      const token = `ghu_${randomBytes(18).toString('hex')}`;
      state.tokens.set(token, { installationId: null, repos: null, user: userFor(grant.login) });
      return {
        access_token: token,
        token_type: 'bearer',
        scope: '',
        expires_in: 28_800,
        refresh_token: `ghr_${randomBytes(18).toString('hex')}`,
        refresh_token_expires_in: 15_897_600,
      };
    },
    // The code is the credential: GitHub takes no Authorization header here. Answers 201, once.
    'POST /app-manifests/{code}/conversions': (ctx) => {
      const grant = state.manifestCodes.get(ctx.params.code ?? '');
      if (!grant || grant.expiresAt < Date.now()) throw new HttpError(404, 'Not Found');
      state.manifestCodes.delete(ctx.params.code ?? '');
      const webhookSecret = randomBytes(20).toString('hex');
      const hook = grant.manifest.hook_attributes as { url?: string } | undefined;
      ctx.res.status = 201;
      return {
        id: appId,
        slug: 'housecat',
        name: String(grant.manifest.name ?? 'HouseCat'),
        html_url: 'https://github.com/apps/housecat',
        pem: privatePem,
        webhook_secret: hook?.url ? webhookSecret : null,
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
      };
    },
    'GET /user': (ctx) => ({ ...ctx.user, name: ctx.user.login }),
    'GET /user/installations': (ctx) => {
      const list = [...installations.entries()]
        .filter(([, repos]) => [...repos].some((r) => READABLE.has(permissionIn(r, ctx.user.login))))
        .map(([id]) => ({ id, app_id: appId, account: { login: `owner-${id}` } }));
      return { total_count: list.length, installations: paginate(ctx, '/user/installations', list) };
    },
    'GET /user/installations/{installation_id}/repositories': (ctx) => {
      const repos = installations.get(Number(ctx.params.installation_id));
      if (!repos) throw new HttpError(404, 'Not Found');
      const list = [...repos]
        .filter((r) => READABLE.has(permissionIn(r, ctx.user.login)))
        .map((full) => ({
          id: 1,
          name: full.split('/')[1],
          full_name: full,
          private: true,
          owner: { login: full.split('/')[0] },
          permissions: flagsOf(permissionIn(full, ctx.user.login)),
        }));
      const path = `/user/installations/${ctx.params.installation_id}/repositories`;
      return { total_count: list.length, repositories: paginate(ctx, path, list) };
    },
    'GET /app': () => ({ id: appId, slug: 'housecat', name: 'HouseCat', owner: { login: 'housecat' } }),
    'GET /app/installations': () =>
      [...installations.keys()].map((id) => ({ id, app_id: appId, account: { login: `owner-${id}` } })),
    'POST /app/installations/{installation_id}/access_tokens': (ctx) => {
      const id = Number(ctx.params.installation_id);
      const repos = installations.get(id);
      if (!repos) throw new HttpError(404, 'Not Found');
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      state.tokens.set(token, { installationId: id, repos: [...repos], user: botUser });
      ctx.res.status = 201;
      return {
        token,
        expires_at: iso(Date.now() + 3600_000),
        permissions: { issues: 'write', checks: 'write', contents: 'read', metadata: 'read' },
        repository_selection: 'selected',
      };
    },
    'GET /repos/{owner}/{repo}/installation': (ctx) => {
      for (const [id, repos] of installations) {
        if (repos.has(ctx.repo)) return { id, app_id: appId, account: { login: ctx.params.owner } };
      }
      throw new HttpError(404, 'Not Found');
    },
    'GET /repos/{owner}/{repo}': (ctx) => ({
      id: 1,
      name: ctx.params.repo!,
      full_name: ctx.repo,
      owner: { login: ctx.params.owner! },
      html_url: `https://github.com/${ctx.repo}`,
      default_branch: 'main',
    }),
    'GET /repos/{owner}/{repo}/collaborators/{username}/permission': (ctx) => {
      const login = ctx.params.username!;
      const permission = state.permissions.get(ctx.repo)?.get(login.toLowerCase()) ?? 'none';
      return { permission, role_name: permission, user: userFor(login) };
    },
    'GET /repos/{owner}/{repo}/issues': (ctx) => {
      const wanted = (ctx.query.labels ?? '')
        .split(',')
        .filter(Boolean)
        .map((l) => l.toLowerCase());
      const st = ctx.query.state ?? 'open';
      const list = state.issues
        .filter((i) => i.repo === ctx.repo)
        .filter((i) => st === 'all' || i.state === st)
        .filter((i) => wanted.every((w) => i.labels.some((l) => l.name.toLowerCase() === w)))
        .sort((a, b) => (ctx.query.direction === 'asc' ? a.number - b.number : b.number - a.number));
      return paginate(ctx, `/repos/${ctx.repo}/issues`, list.map(issueJson));
    },
    'POST /repos/{owner}/{repo}/issues': (ctx) => {
      const title = requireString(ctx.body, 'title');
      countContent();
      const number = state.issues.filter((i) => i.repo === ctx.repo).length + 1;
      const issue: GhIssue = {
        id: newId(),
        node_id: `I_${number}`,
        number,
        repo: ctx.repo,
        title,
        body: typeof ctx.body.body === 'string' ? ctx.body.body : null,
        state: 'open',
        state_reason: null,
        labels: resolveLabels(ctx.repo, ctx.body.labels),
        user: ctx.user,
        closed_by: null,
        created_at: iso(),
        updated_at: iso(),
        closed_at: null,
      };
      state.issues.push(issue);
      ctx.res.status = 201;
      return issueJson(issue);
    },
    'GET /repos/{owner}/{repo}/issues/{issue_number}': (ctx) =>
      issueJson(findIssue(ctx.repo, Number(ctx.params.issue_number))),
    'PATCH /repos/{owner}/{repo}/issues/{issue_number}': (ctx) => {
      const issue = findIssue(ctx.repo, Number(ctx.params.issue_number));
      const b = ctx.body;
      if (typeof b.title === 'string') issue.title = b.title;
      if (typeof b.body === 'string') issue.body = b.body;
      if (Array.isArray(b.labels)) issue.labels = resolveLabels(ctx.repo, b.labels);
      if (b.state === 'closed' && issue.state === 'open') {
        issue.state = 'closed';
        issue.closed_at = iso();
        issue.closed_by = ctx.user;
        issue.state_reason = typeof b.state_reason === 'string' ? b.state_reason : 'completed';
      } else if (b.state === 'open' && issue.state === 'closed') {
        issue.state = 'open';
        issue.closed_at = null;
        issue.closed_by = null;
        issue.state_reason = 'reopened';
      }
      issue.updated_at = iso();
      return issueJson(issue);
    },
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
      const n = Number(ctx.params.issue_number);
      findIssue(ctx.repo, n);
      const list = state.comments.filter((c) => c.repo === ctx.repo && c.issue_number === n);
      return paginate(ctx, `/repos/${ctx.repo}/issues/${n}/comments`, list.map(commentJson));
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': (ctx) => {
      const n = Number(ctx.params.issue_number);
      findIssue(ctx.repo, n);
      const body = requireString(ctx.body, 'body');
      countContent();
      const comment: GhComment = {
        id: newId(),
        repo: ctx.repo,
        issue_number: n,
        body,
        user: ctx.user,
        created_at: iso(),
        updated_at: iso(),
      };
      state.comments.push(comment);
      ctx.res.status = 201;
      return commentJson(comment);
    },
    'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
      const c = state.comments.find((x) => x.repo === ctx.repo && x.id === Number(ctx.params.comment_id));
      if (!c) throw new HttpError(404, 'Not Found');
      return commentJson(c);
    },
    'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': (ctx) => {
      const c = state.comments.find((x) => x.repo === ctx.repo && x.id === Number(ctx.params.comment_id));
      if (!c) throw new HttpError(404, 'Not Found');
      c.body = requireString(ctx.body, 'body');
      c.updated_at = iso();
      return commentJson(c);
    },
    'GET /repos/{owner}/{repo}/labels': (ctx) =>
      paginate(ctx, `/repos/${ctx.repo}/labels`, labelsOf(ctx.repo)),
    'GET /repos/{owner}/{repo}/labels/{name}': (ctx) => {
      const name = decodeURIComponent(ctx.params.name!).toLowerCase();
      const label = labelsOf(ctx.repo).find((l) => l.name.toLowerCase() === name);
      if (!label) throw new HttpError(404, 'Not Found');
      return label;
    },
    'POST /repos/{owner}/{repo}/labels': (ctx) => {
      const name = requireString(ctx.body, 'name');
      const list = labelsOf(ctx.repo);
      if (list.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
        throw new HttpError(
          422,
          'Validation Failed',
          {},
          { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] },
        );
      }
      const label: GhLabel = {
        id: newId(),
        name,
        color: typeof ctx.body.color === 'string' ? ctx.body.color : 'ededed',
        description: typeof ctx.body.description === 'string' ? ctx.body.description : null,
      };
      list.push(label);
      ctx.res.status = 201;
      return label;
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': (ctx) => {
      const issue = findIssue(ctx.repo, Number(ctx.params.issue_number));
      const add = resolveLabels(ctx.repo, ctx.body.labels);
      for (const l of add) if (!issue.labels.some((x) => x.id === l.id)) issue.labels.push(l);
      return issue.labels;
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions': (ctx) => {
      const issue = findIssue(ctx.repo, Number(ctx.params.issue_number));
      const r: GhReaction = {
        id: newId(),
        repo: ctx.repo,
        subject: 'issue',
        subjectId: issue.number,
        content: oneOf(ctx.body, 'content', REACTIONS),
        user: ctx.user,
      };
      state.reactions.push(r);
      ctx.res.status = 201;
      return { id: r.id, content: r.content, user: r.user };
    },
    'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': (ctx) => {
      const id = Number(ctx.params.comment_id);
      if (!state.comments.some((c) => c.repo === ctx.repo && c.id === id))
        throw new HttpError(404, 'Not Found');
      const r: GhReaction = {
        id: newId(),
        repo: ctx.repo,
        subject: 'comment',
        subjectId: id,
        content: oneOf(ctx.body, 'content', REACTIONS),
        user: ctx.user,
      };
      state.reactions.push(r);
      ctx.res.status = 201;
      return { id: r.id, content: r.content, user: r.user };
    },
    'POST /repos/{owner}/{repo}/check-runs': (ctx) => {
      const run: GhCheckRun = {
        id: newId(),
        repo: ctx.repo,
        name: requireString(ctx.body, 'name'),
        head_sha: requireString(ctx.body, 'head_sha'),
        status: oneOf(ctx.body, 'status', CHECK_STATUSES, 'queued'),
        conclusion: ctx.body.conclusion === undefined ? null : oneOf(ctx.body, 'conclusion', CONCLUSIONS),
        output: (ctx.body.output as GhCheckRun['output']) ?? null,
        details_url: ctx.body.details_url as string | undefined,
        external_id: ctx.body.external_id as string | undefined,
        started_at: (ctx.body.started_at as string | undefined) ?? iso(),
        completed_at: (ctx.body.completed_at as string | undefined) ?? null,
      };
      if (run.conclusion) run.status = 'completed';
      state.checkRuns.push(run);
      ctx.res.status = 201;
      return checkRunJson(run);
    },
    'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': (ctx) => {
      const run = state.checkRuns.find(
        (r) => r.repo === ctx.repo && r.id === Number(ctx.params.check_run_id),
      );
      if (!run) throw new HttpError(404, 'Not Found');
      const b = ctx.body;
      if (typeof b.name === 'string') run.name = b.name;
      if (b.status !== undefined) run.status = oneOf(b, 'status', CHECK_STATUSES);
      if (b.conclusion !== undefined) {
        run.conclusion = oneOf(b, 'conclusion', CONCLUSIONS);
        run.status = 'completed';
        run.completed_at = (b.completed_at as string | undefined) ?? iso();
      }
      if (b.output) run.output = b.output as GhCheckRun['output'];
      if (typeof b.details_url === 'string') run.details_url = b.details_url;
      return checkRunJson(run);
    },
    'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': (ctx) => {
      const run = state.checkRuns.find(
        (r) => r.repo === ctx.repo && r.id === Number(ctx.params.check_run_id),
      );
      if (!run) throw new HttpError(404, 'Not Found');
      return checkRunJson(run);
    },
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': (ctx) => {
      const runs = state.checkRuns.filter((r) => r.repo === ctx.repo && r.head_sha === ctx.params.ref);
      return { total_count: runs.length, check_runs: runs.map(checkRunJson) };
    },
  };

  const ROUTES: Record<string, Handler> = TYPED_ROUTES;
  const compiled = Object.keys(ROUTES).map((key) => {
    const [method, template] = key.split(' ') as [string, string];
    const names: string[] = [];
    const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { key, method, regex: new RegExp(`^${pattern}$`), names };
  });

  /** Verifies an app JWT (RS256, iss = app id, not expired) the way GitHub does. */
  const verifyJwt = (jwt: string): void => {
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) throw new HttpError(401, 'A JSON web token could not be decoded');
    const header = JSON.parse(b64url(h)) as { alg?: string };
    if (header.alg !== 'RS256') throw new HttpError(401, "'alg' must be RS256");
    const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(verifyKey, Buffer.from(s, 'base64url'));
    if (!ok) throw new HttpError(401, 'A JSON web token could not be decoded');
    const payload = JSON.parse(b64url(p)) as { iss?: unknown; exp?: number; iat?: number };
    if (String(payload.iss) !== String(appId))
      throw new HttpError(401, "'Issuer' claim ('iss') must be the app id");
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp < now)
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the past");
  };

  const authenticate = (req: IncomingMessage, route: string, repo: string): GhUser => {
    // The OAuth web flow's pages are not API calls: the browser and client credentials do the talking.
    if (route.includes(' /login/oauth/') || route.includes(' /app-manifests/'))
      return { login: 'anonymous', id: 0, type: 'User' };
    const header = req.headers.authorization ?? '';
    const [scheme, credential] = header.split(' ');
    if (!credential) throw new HttpError(401, 'Requires authentication');
    const appRoute = route.includes(' /app') || route === 'GET /repos/{owner}/{repo}/installation';
    if (appRoute) {
      if (scheme?.toLowerCase() !== 'bearer' || credential.split('.').length !== 3) {
        throw new HttpError(401, 'A JSON web token is required for this endpoint');
      }
      verifyJwt(credential);
      return { login: 'housecat', id: appId, type: 'Bot' };
    }
    const token = state.tokens.get(credential);
    if (!token) throw new HttpError(401, 'Bad credentials');
    if (token.repos && repo && !token.repos.includes(repo)) {
      throw new HttpError(404, 'Not Found'); // GitHub hides repositories the token cannot see.
    }
    return token.user;
  };

  // GitHub spends one unit of the hourly budget per request; one budget here for every credential.
  let rateUsed = 0;
  let lastBudget: { limit: number; remaining: number } | null = null;
  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    rateUsed = Math.min(5000, rateUsed + 1);
    const budget = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(5000 - rateUsed),
      'x-ratelimit-used': String(rateUsed),
      ...headers,
    };
    lastBudget = {
      limit: Number(budget['x-ratelimit-limit']),
      remaining: Number(budget['x-ratelimit-remaining']),
    };
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...budget,
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': randomBytes(4).toString('hex').toUpperCase(),
      ...headers,
    });
    res.end(text);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      // GitHub Enterprise Server serves the same API under /api/v3 (GHE_HOST in Probot).
      if (url.pathname.startsWith('/api/v3/')) url.pathname = url.pathname.slice('/api/v3'.length);
      const method = req.method ?? 'GET';
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      const record: RecordedGhRequest = {
        method,
        path: url.pathname,
        route: null,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: undefined,
        status: 0,
        at: Date.now(),
      };
      requests.push(record);
      try {
        if (raw) {
          try {
            body = JSON.parse(raw) as Record<string, unknown>;
            record.body = body;
          } catch {
            throw new HttpError(400, 'Problems parsing JSON');
          }
        }
        let match: { key: string; params: Record<string, string> } | null = null;
        for (const r of compiled) {
          if (r.method !== method) continue;
          const m = r.regex.exec(url.pathname);
          if (!m) continue;
          const params: Record<string, string> = {};
          r.names.forEach((n, i) => {
            params[n] = decodeURIComponent(m[i + 1]!);
          });
          match = { key: r.key, params };
          break;
        }
        if (!match) throw new HttpError(404, 'Not Found');
        record.route = match.key;
        const repo =
          match.params.owner && match.params.repo
            ? `${match.params.owner}/${match.params.repo}`.toLowerCase()
            : '';
        const user = authenticate(req, match.key, repo);
        const faultIndex = faults.findIndex((f) => f.route === match.key && f.left > 0);
        const fault = faultIndex >= 0 ? faults[faultIndex]!.fault : undefined;
        if (fault) {
          faults[faultIndex]!.left -= 1;
          if (faults[faultIndex]!.left <= 0) faults.splice(faultIndex, 1);
        }
        const ctx: Ctx = {
          params: match.params,
          query: record.query,
          body,
          user,
          repo,
          res: { status: 200, headers: {} },
        };
        if (fault && !fault.apply) {
          if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
          if (fault.destroy) {
            record.status = -1;
            req.socket.destroy();
            return;
          }
          throw new HttpError(
            fault.status ?? 502,
            fault.message ?? 'Server Error',
            fault.headers ?? {},
            fault.extra ?? {},
          );
        }
        const result = ROUTES[match.key]!(ctx);
        // An applied fault without a status answers normally, with its headers (e.g. the last
        // request of the hour: 200 and `x-ratelimit-remaining: 0`).
        if (fault?.headers && !fault.status) Object.assign(ctx.res.headers, fault.headers);
        if (fault) {
          if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
          if (fault.destroy) {
            record.status = -1;
            req.socket.destroy();
            return;
          }
          if (fault.status)
            throw new HttpError(
              fault.status,
              fault.message ?? 'Server Error',
              fault.headers ?? {},
              fault.extra ?? {},
            );
        }
        record.status = ctx.res.status;
        if (!res.destroyed) send(res, ctx.res.status, ctx.res.headers, result);
      } catch (error) {
        const e = error instanceof HttpError ? error : new HttpError(500, String(error));
        record.status = e.status;
        if (!res.destroyed) {
          send(res, e.status, e.headers, {
            message: e.message,
            documentation_url: 'https://docs.github.com/rest',
            ...e.extra,
          });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    appId,
    privateKey: privatePem,
    state,
    requests,
    botUser,
    routes: Object.keys(ROUTES),
    failNext(route, fault, times = 1) {
      if (!ROUTES[route])
        throw new Error(
          `github-server: no route ${JSON.stringify(route)}; known: ${Object.keys(ROUTES).join(', ')}`,
        );
      faults.push({ route, fault, left: times });
    },
    lastRateBudget: () => lastBudget,
    addInstallation(id, repos) {
      const set = installations.get(id) ?? new Set<string>();
      for (const r of repos) set.add(r.toLowerCase());
      installations.set(id, set);
      // Tokens issued earlier for this installation see the new repositories too.
      for (const t of state.tokens.values()) if (t.installationId === id) t.repos = [...set];
    },
    createToken(repos, login = 'github-actions[bot]') {
      const token = `ghp_${randomBytes(18).toString('hex')}`;
      state.tokens.set(token, {
        installationId: null,
        repos: repos ? repos.map((r) => r.toLowerCase()) : null,
        user: userFor(login),
      });
      return token;
    },
    setPermission(repo, login, permission) {
      const key = repo.toLowerCase();
      const map = state.permissions.get(key) ?? new Map<string, string>();
      map.set(login.toLowerCase(), permission);
      state.permissions.set(key, map);
    },
    seedIssue(repo, fields) {
      const key = repo.toLowerCase();
      const number = state.issues.filter((i) => i.repo === key).length + 1;
      const issue: GhIssue = {
        id: newId(),
        node_id: `I_${number}`,
        number,
        repo: key,
        body: null,
        state: 'open',
        state_reason: null,
        labels: [],
        user: userFor('octocat'),
        closed_by: null,
        created_at: iso(),
        updated_at: iso(),
        closed_at: null,
        ...fields,
      };
      state.issues.push(issue);
      return issue;
    },
    closeAsUser(repo, number, login) {
      const issue = findIssue(repo.toLowerCase(), number);
      issue.state = 'closed';
      issue.state_reason = 'completed';
      issue.closed_at = iso();
      issue.closed_by = userFor(login);
      issue.updated_at = iso();
      return issue;
    },
    issuesOf(repo) {
      return state.issues.filter((i) => i.repo === repo.toLowerCase());
    },
    commentsOf(repo, issueNumber) {
      return state.comments.filter((c) => c.repo === repo.toLowerCase() && c.issue_number === issueNumber);
    },
    oauth,
    signInAs(login) {
      browserLogin = login;
    },
    registerFromManifest(manifest) {
      const code = randomBytes(10).toString('hex');
      state.manifestCodes.set(code, { manifest, expiresAt: Date.now() + 3_600_000 });
      return code;
    },
    userTokens(login) {
      return [...state.tokens.entries()]
        .filter(([token, t]) => token.startsWith('ghu_') && t.user.login === login)
        .map(([token]) => token);
    },
    deliveries,
    async deliverWebhook(url, secret, event, payload, delivery = randomUUID()) {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const started = Date.now();
      let status: number | null = null;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/044aadd',
            'x-github-event': event,
            'x-github-delivery': delivery,
            'x-github-hook-installation-target-type': 'integration',
            'x-hub-signature-256': signature,
          },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = null; // timed out or refused: GitHub shows it failed and leaves it there.
      }
      const record: WebhookDelivery = {
        id: delivery,
        event,
        status,
        durationMs: Date.now() - started,
        redeliveries: 0,
      };
      deliveries.push(record);
      return record;
    },
    contentCreatedInWindow() {
      const now = Date.now();
      return contentTimes.filter((t) => t > now - limit.windowMs).length;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
