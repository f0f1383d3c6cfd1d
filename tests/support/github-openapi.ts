/**
 * GitHub's own REST description (`@octokit/openapi-types`, generated from github/rest-api-description)
 * as the authority over the GitHub stand-in (github-server.ts).
 *
 * `RESPONSE_READS` names, for every REST route the stand-in serves, the response fields that
 * HouseCat, Probot or Octokit read. It is checked against GitHub's schema at compile time (a field
 * GitHub does not have fails `npm run typecheck`), and the stand-in's handlers are typed to return
 * `Served<route>`: those fields, with GitHub's types. A renamed or mistyped field on either side
 * fails the typecheck; github-openapi.test.ts checks the same fields in real answers at run time.
 */
import type { operations, paths } from '@octokit/openapi-types';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Every `METHOD /path` in GitHub's REST description. */
export type RestRoute = {
  [P in keyof paths]: `${Uppercase<Extract<keyof paths[P], Method>>} ${P & string}`;
}[keyof paths];

type OperationOf<R> = R extends `${infer M} ${infer P}`
  ? P extends keyof paths
    ? Lowercase<M> extends keyof paths[P]
      ? paths[P][Lowercase<M>]
      : never
    : never
  : never;

type JsonOf<Res> = Res extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON body of the route's success answer (200 or 201) in GitHub's description. */
export type SuccessJson<R extends RestRoute> =
  OperationOf<R> extends { responses: infer Rs }
    ? JsonOf<Rs[200 & keyof Rs]> | JsonOf<Rs[201 & keyof Rs]>
    : never;

type Item<T> = T extends readonly (infer E)[] ? E : T;

/** `field` or `field.sub` of a response object (of each item for a list). */
export type FieldPath<T> = {
  [K in keyof T & string]:
    | K
    | (NonNullable<T[K]> extends readonly (infer E)[]
        ? `${K}.${keyof E & string}`
        : NonNullable<T[K]> extends object
          ? `${K}.${keyof NonNullable<T[K]> & string}`
          : never);
}[keyof T & string];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (u: infer I) => void
  ? I
  : never;

type PickPath<T, P extends string> = P extends `${infer H}.${infer Rest}`
  ? { [K in keyof Pick<T, H & keyof T>]: Shape<NonNullable<T[K]>, Rest> | Extract<T[K], null> }
  : Pick<T, P & keyof T>;

type Shape<T, P extends string> = T extends null
  ? null
  : T extends readonly (infer E)[]
    ? Shape<E, P>[]
    : UnionToIntersection<P extends string ? PickPath<T, P> : never>;

/** The OAuth web flow lives on github.com, not in the REST API: its pages have no REST description. */
export const WEB_FLOW_ROUTES = ['GET /login/oauth/authorize', 'POST /login/oauth/access_token'] as const;

/** Per served REST route: the response fields read by HouseCat (src/adapters/github, src/bot), Probot or Octokit. */
export const RESPONSE_READS = {
  'GET /user': ['login', 'id'],
  'GET /user/installations': ['total_count', 'installations.id', 'installations.app_id'],
  'GET /user/installations/{installation_id}/repositories': [
    'total_count',
    'repositories.full_name',
    'repositories.permissions',
  ],
  'GET /app': ['id', 'slug', 'name'],
  'POST /app-manifests/{code}/conversions': [
    'id',
    'html_url',
    'pem',
    'webhook_secret',
    'client_id',
    'client_secret',
  ],
  'GET /app/installations': ['id', 'app_id'],
  'POST /app/installations/{installation_id}/access_tokens': ['token', 'expires_at', 'permissions'],
  'GET /repos/{owner}/{repo}/installation': ['id', 'app_id'],
  'GET /repos/{owner}/{repo}': ['id', 'name', 'full_name', 'html_url', 'default_branch', 'owner.login'],
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission': ['permission', 'role_name'],
  'GET /repos/{owner}/{repo}/issues': ['number', 'html_url', 'state', 'body', 'pull_request.url'],
  'POST /repos/{owner}/{repo}/issues': ['number', 'html_url', 'state', 'body'],
  'GET /repos/{owner}/{repo}/issues/{issue_number}': ['number', 'html_url', 'state', 'closed_by.login'],
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}': ['number', 'html_url', 'state'],
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': ['id', 'body', 'html_url', 'user.login'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': ['id', 'body', 'html_url'],
  'GET /repos/{owner}/{repo}/issues/comments/{comment_id}': ['id', 'body', 'html_url'],
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': ['id', 'body', 'html_url'],
  'GET /repos/{owner}/{repo}/labels': ['id', 'name', 'color', 'description'],
  'GET /repos/{owner}/{repo}/labels/{name}': ['id', 'name', 'color', 'description'],
  'POST /repos/{owner}/{repo}/labels': ['id', 'name', 'color', 'description'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': ['id', 'name'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions': ['id', 'content'],
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions': ['id', 'content'],
  'POST /repos/{owner}/{repo}/check-runs': ['id', 'name', 'head_sha', 'status', 'conclusion', 'html_url'],
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': ['id', 'status', 'conclusion', 'html_url'],
  'GET /repos/{owner}/{repo}/check-runs/{check_run_id}': ['id', 'status', 'conclusion', 'output.title'],
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': ['total_count', 'check_runs.id', 'check_runs.status'],
} as const satisfies { [R in RestRoute]?: readonly FieldPath<Item<NonNullable<SuccessJson<R>>>>[] };

/** The REST routes the stand-in serves. */
export type ServedRestRoute = keyof typeof RESPONSE_READS;

/** What the stand-in must answer on `R`: the fields read, with the types GitHub's description gives them. */
export type Served<R extends ServedRestRoute> = Shape<SuccessJson<R>, (typeof RESPONSE_READS)[R][number]>;

/** Rate-limit headers GitHub's description names (on `GET /rate_limit`), lowercased as Node sees them. */
export type DescribedRateLimitHeader = Lowercase<
  keyof operations['rate-limit/get']['responses'][200]['headers'] & string
>;
