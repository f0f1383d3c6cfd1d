import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { components } from '@octokit/openapi-types';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type DescribedRateLimitHeader, RESPONSE_READS, WEB_FLOW_ROUTES } from './github-openapi.js';
import { type GitHubServer, secondaryRateLimit, startGitHubServer } from './github-server.js';

const typesFile = createRequire(import.meta.url).resolve('@octokit/openapi-types/types.d.ts');
const typesText = readFileSync(typesFile, 'utf8');

/** `METHOD /path` → operation id of every operation in GitHub's REST description (the pinned types.d.ts). */
function describedRoutes(): Map<string, string> {
  const body = typesText.slice(
    typesText.indexOf('export interface paths {'),
    typesText.indexOf('export type webhooks'),
  );
  const routes = new Map<string, string>();
  let path = '';
  for (const line of body.split('\n')) {
    const p = /^ {2}"(\/[^"]*)": \{/.exec(line);
    if (p) path = p[1]!;
    const m = /^ {4}(get|put|post|patch|delete): operations\["([^"]+)"\]/.exec(line);
    if (m && path) routes.set(`${m[1]!.toUpperCase()} ${path}`, m[2]!);
  }
  return routes;
}

/** The 2xx statuses the description gives an operation's answer (a reaction: 200 if it existed, else 201). */
function successStatuses(operationId: string): number[] {
  const start = typesText.indexOf(
    `\n  "${operationId}": {`,
    typesText.indexOf('export interface operations {'),
  );
  const end = typesText.indexOf('\n  "', start + 1);
  return [...typesText.slice(start, end).matchAll(/\n {6}(2\d\d): /g)].map((m) => Number(m[1]));
}

/** Optional in GitHub's schema: an issue has `pull_request` only when it is a pull request. */
const OPTIONAL = new Set(['pull_request']);

/** The dotted fields `json` (each item of a list) lacks; a null or optional field on the way ends the path. */
function missing(json: unknown, field: string): string[] {
  if (Array.isArray(json)) return json.flatMap((item) => missing(item, field));
  const [head, ...rest] = field.split('.');
  if (json === null || typeof json !== 'object') return [field];
  if (!(head! in json)) return OPTIONAL.has(head!) ? [] : [field];
  const value = (json as Record<string, unknown>)[head!];
  return rest.length === 0 || value === null ? [] : missing(value, rest.join('.'));
}

type IssueItem = components['schemas']['issue'];
const RATE_LIMIT_DESCRIBED = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

describe('GitHub stand-in against GitHub REST description (@octokit/openapi-types)', () => {
  let gh: GitHubServer;
  let token: string;
  const answers = new Map<string, { json: unknown; headers: Headers; status: number }>();
  const repo = 'acme/shop';

  const appJwt = () => {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 60, exp: now + 540, iss: gh.appId })}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(gh.privateKey, 'base64url')}`;
  };
  const call = async (method: string, path: string, body?: object, jwt = false) => {
    const res = await fetch(`${gh.url}${path}`, {
      method,
      headers: { authorization: jwt ? `Bearer ${appJwt()}` : `token ${token}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const route = gh.requests.at(-1)!.route!;
    answers.set(route, { json: await res.json(), headers: res.headers, status: res.status });
  };

  beforeAll(async () => {
    gh = await startGitHubServer({ installations: [{ id: 7, repos: [repo] }] });
    token = gh.createToken([repo], 'octocat');
    gh.setPermission(repo, 'octocat', 'admin');
    const r = `/repos/${repo}`;
    await call('GET', '/user');
    await call('GET', '/user/installations');
    await call('GET', '/user/installations/7/repositories');
    await call('GET', '/app', undefined, true);
    await call('GET', '/app/installations', undefined, true);
    const manifestCode = gh.registerFromManifest({
      name: 'HouseCat',
      hook_attributes: { url: 'https://x.test/' },
    });
    await call('POST', `/app-manifests/${manifestCode}/conversions`);
    await call('POST', '/app/installations/7/access_tokens', undefined, true);
    await call('GET', `${r}/installation`, undefined, true);
    await call('GET', r);
    await call('GET', `${r}/collaborators/octocat/permission`);
    await call('POST', `${r}/labels`, { name: 'housecat', color: 'f29513' });
    await call('GET', `${r}/labels`);
    await call('GET', `${r}/labels/housecat`);
    await call('POST', `${r}/issues`, { title: 'Checkout is down', body: 'marker', labels: ['housecat'] });
    gh.seedIssue(repo, { title: 'A pull request', pull_request: { url: `${gh.url}${r}/pulls/2` } });
    await call('GET', `${r}/issues`);
    await call('GET', `${r}/issues/1`);
    await call('PATCH', `${r}/issues/1`, { state: 'closed' });
    await call('POST', `${r}/issues/1/labels`, { labels: ['bug'] });
    await call('POST', `${r}/issues/1/comments`, { body: 'Still failing' });
    const commentId = gh.state.comments[0]!.id;
    await call('GET', `${r}/issues/1/comments`);
    await call('GET', `${r}/issues/comments/${commentId}`);
    await call('PATCH', `${r}/issues/comments/${commentId}`, { body: 'Recovered' });
    await call('POST', `${r}/issues/1/reactions`, { content: 'eyes' });
    await call('POST', `${r}/issues/comments/${commentId}/reactions`, { content: '+1' });
    await call('POST', `${r}/check-runs`, { name: 'HouseCat', head_sha: 'abc123', status: 'in_progress' });
    const runId = gh.state.checkRuns[0]!.id;
    await call('PATCH', `${r}/check-runs/${runId}`, {
      conclusion: 'success',
      output: { title: 'ok', summary: 's' },
    });
    await call('GET', `${r}/check-runs/${runId}`);
    await call('GET', `${r}/commits/abc123/check-runs`);
  });
  afterAll(() => gh?.close());

  it('serves only routes GitHub describes, with the same method (the OAuth web flow is not REST)', () => {
    const described = describedRoutes();
    expect(described.size).toBeGreaterThan(500); // the parse found the description, not an empty file
    const served = gh.routes.filter((r) => !(WEB_FLOW_ROUTES as readonly string[]).includes(r));
    expect(served.filter((r) => !described.has(r))).toEqual([]);
    expect(served).toContain('POST /repos/{owner}/{repo}/issues');
    expect(WEB_FLOW_ROUTES.filter((r) => described.has(r))).toEqual([]);
    // Every served REST route has its reads listed (and so its handler typed against the description).
    expect(new Set(served)).toEqual(new Set(Object.keys(RESPONSE_READS)));
  });

  it('answers every REST route with the status GitHub describes and the fields HouseCat reads', () => {
    const described = describedRoutes();
    expect(new Set(answers.keys())).toEqual(new Set(Object.keys(RESPONSE_READS)));
    for (const [route, fields] of Object.entries(RESPONSE_READS)) {
      const answer = answers.get(route)!;
      const statuses = successStatuses(described.get(route)!);
      expect([route, statuses.includes(answer.status)]).toEqual([route, true]);
      const absent = fields.flatMap((f) => missing(answer.json, f));
      expect([route, absent]).toEqual([route, []]);
    }
    // HouseCat tells pull requests from issues by `pull_request` (issue-tracker.ts findOpen).
    const listed = answers.get('GET /repos/{owner}/{repo}/issues')!.json as {
      pull_request?: { url: string };
    }[];
    expect(listed.map((i) => typeof i.pull_request?.url)).toEqual(['string', 'undefined']);
    expectTypeOf<object>().toExtend<Pick<IssueItem, 'pull_request'>>(); // optional in the schema too
  });

  it('sends the rate-limit headers GitHub describes and documents, as numbers', () => {
    expectTypeOf<(typeof RATE_LIMIT_DESCRIBED)[number]>().toEqualTypeOf<DescribedRateLimitHeader>();
    // Named in the description only on GET /rate_limit; "Rate limits for the REST API" documents
    // them, with x-ratelimit-used and x-ratelimit-resource, on every answer.
    for (const [route, { headers }] of answers) {
      for (const name of [...RATE_LIMIT_DESCRIBED, 'x-ratelimit-used']) {
        expect([route, name, /^\d+$/.test(headers.get(name) ?? '')]).toEqual([route, name, true]);
      }
      expect([route, headers.get('x-ratelimit-resource')]).toEqual([route, 'core']);
    }
  });

  it('answers a secondary limit with retry-after in seconds, the header Octokit reads', async () => {
    gh.failNext('GET /repos/{owner}/{repo}/issues', secondaryRateLimit(429, 30));
    const res = await fetch(`${gh.url}/repos/${repo}/issues`, {
      headers: { authorization: `token ${token}` },
    });
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '30']);
  });
});
