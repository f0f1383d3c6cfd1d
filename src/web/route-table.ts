/**
 * Every HTTP route of the app, declared in one place, in four groups. Each group's policy is applied
 * once, here, before its handler runs: the body-size limit (judged from Content-Length before a
 * byte is read), the security headers (on every answer, errors included), and the methods it takes.
 * One 404 and one 405 serve the whole app; the 404 never echoes the request.
 *
 * The handlers behind a route still parse their own sub-paths (a status page's owner and name, a
 * dashboard test's slug) and answer their own 404 inside their prefix, with the same headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './headers.js';
import { refuseLargeBody, WEBHOOK_MAX_BODY } from './server-limits.js';

/**
 * - `qstash`: called by QStash, signed (HS256 JWT over URL and body), small JSON bodies;
 * - `github`: GitHub's webhooks, signed with WEBHOOK_SECRET, bodies up to GitHub's 25 MB cap;
 * - `public`: status pages, badges, the read API, health, static assets: GET only, no body;
 * - `signed-in`: the dashboard behind Sign in with GitHub (its POST forms carry the CSRF token).
 */
export type RouteGroup = 'qstash' | 'github' | 'public' | 'signed-in';

interface GroupPolicy {
  /** Largest body accepted, in bytes. */
  maxBody: number;
  /** Refuse a body without Content-Length (411) because its reader buffers it whole. */
  requireLength: boolean;
}

export const GROUP_POLICIES: Readonly<Record<RouteGroup, GroupPolicy>> = {
  qstash: { maxBody: 64 * 1024, requireLength: false },
  github: { maxBody: WEBHOOK_MAX_BODY, requireLength: true },
  public: { maxBody: 0, requireLength: false },
  'signed-in': { maxBody: 8 * 1024, requireLength: false },
};

/** A handler answers, or returns false when the path is not one of its own (the table then 404s). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface Route {
  group: RouteGroup;
  methods: readonly string[];
  /** An exact path, or a prefix ending in `/` that the handler parses further. */
  path: string;
  handler: RouteHandler;
}

/** The handlers the app wires into the table; an absent one (no dashboard) leaves its routes out. */
export interface RouteHandlers {
  /** `/healthz`, liveness: the process answers. */
  health: RouteHandler;
  /** `/readyz`, readiness: Redis answers a PING within 1 s. */
  ready: RouteHandler;
  /** `/metrics`, Prometheus text behind a bearer token (404 when HOUSECAT_METRICS_TOKEN is unset). */
  metrics: RouteHandler;
  callback: RouteHandler;
  watchdog: RouteHandler;
  webhooks: RouteHandler;
  status: RouteHandler;
  dashboard: RouteHandler | null;
}

export const CALLBACK_ROUTE = '/api/callback/';
export const WATCHDOG_ROUTE = '/api/watchdog';
export const WEBHOOK_ROUTE = '/api/github/webhooks';

const GET = ['GET', 'HEAD'] as const;

/** The app's routes. */
export function routeTable(h: RouteHandlers): Route[] {
  const routes: Route[] = [
    { group: 'qstash', methods: ['POST'], path: CALLBACK_ROUTE, handler: h.callback },
    { group: 'qstash', methods: ['POST'], path: WATCHDOG_ROUTE, handler: h.watchdog },
    { group: 'github', methods: ['POST'], path: WEBHOOK_ROUTE, handler: h.webhooks },
    { group: 'public', methods: GET, path: '/healthz', handler: h.health },
    { group: 'public', methods: GET, path: '/readyz', handler: h.ready },
    { group: 'public', methods: GET, path: '/metrics', handler: h.metrics },
    { group: 'public', methods: GET, path: '/status/', handler: h.status },
    { group: 'public', methods: GET, path: '/badge/', handler: h.status },
    { group: 'public', methods: GET, path: '/api/v1/status/', handler: h.status },
    { group: 'public', methods: GET, path: '/api/v1/openapi.json', handler: h.status },
  ];
  if (h.dashboard) {
    routes.push(
      { group: 'public', methods: GET, path: '/assets/', handler: h.dashboard },
      { group: 'signed-in', methods: GET, path: '/', handler: h.dashboard },
      { group: 'signed-in', methods: [...GET, 'POST'], path: '/auth/', handler: h.dashboard },
      { group: 'signed-in', methods: [...GET, 'POST'], path: '/r/', handler: h.dashboard },
    );
  }
  return routes;
}

/** The route a path belongs to: an exact match, else the longest matching prefix. */
export function routeOf(routes: readonly Route[], path: string): Route | undefined {
  let best: Route | undefined;
  for (const route of routes) {
    const hit =
      route.path.endsWith('/') && route.path !== '/' ? path.startsWith(route.path) : path === route.path;
    if (hit && (!best || route.path.length > best.path.length)) best = route;
  }
  return best;
}

function sendError(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(JSON.stringify({ error }));
}

/** The app's request handler over `routes`. */
export function createRouter(
  routes: readonly Route[],
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    // Every answer carries the same security headers; a handler's own headers add to them.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(routes, path);
    if (!route) return sendError(res, 404, 'not found');
    const method = req.method ?? 'GET';
    if (!route.methods.includes(method)) {
      return sendError(res, 405, `use ${route.methods.join(' or ')}`, { allow: route.methods.join(', ') });
    }
    const policy = GROUP_POLICIES[route.group];
    if (refuseLargeBody(req, res, policy.maxBody, { requireLength: policy.requireLength })) return;
    const handled = await route.handler(req, res);
    if (handled === false && !res.headersSent) sendError(res, 404, 'not found');
  };
}
