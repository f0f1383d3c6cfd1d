/**
 * Decides which of the guard proxy's refusals the test's page caused. Chromium and Google Chrome
 * make requests of their own (update checks, network time, account endpoints), whatever the flags,
 * and a context's proxy sees some of them. The proxy still refuses them: the network guard is
 * unchanged. But only a refusal that matches a request of the page, one of its frames or workers
 * (Playwright's `request` events of the context) is reported; the browser's own are dropped
 * quietly, so they never become a step, a reason or a failed step.
 *
 * Matching. The proxy sees a target, not who asked: `CONNECT host:port` for HTTPS and WebSockets,
 * the absolute URL for plain HTTP. A page request claims its target from its `request` event until
 * it has finished or failed. A refusal takes a claim on the same target; a refusal nobody claims
 * waits, bounded, for a later `request` event (the two arrive on different channels, in either
 * order). A request's refusal always arrives before the request ends, so releasing the claim then
 * loses nothing: the proxy reports a refusal before it answers Chromium, and Chromium reports the
 * failure (or the proxy's 403) only after that answer.
 *
 * Only requests that reach the proxy claim: a hop of a redirect chain (`context.route` never sees
 * those), or a request the host policy allows (the proxy may still refuse it: a name that resolves
 * to a private address). A request `context.route` refused never reaches the proxy, and is already
 * reported by the route itself.
 */
import type { BrowserContext, Request, WebSocket } from 'playwright-core';
import type { BlockedRequest, RequestPolicy } from './types.js';

/** Unclaimed refusals kept waiting for their request: the browser's own traffic ends up here. */
const MAX_WAITING = 64;

/** What a refusal takes from the page request it is matched with. */
export interface PageRequest {
  resourceType?: string;
  /** A navigation of a top-level document ({@link isTopNavigation}). */
  navigation: boolean;
  /** A later hop of a redirect chain. */
  redirect: boolean;
}

/** What the proxy sees of a URL: `host:port` for a tunnel (HTTPS, WebSockets), the URL for HTTP. */
export function proxyTarget(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.protocol === 'http:') return `${u.origin}${u.pathname}${u.search}`.toLowerCase();
  // data:, blob:, about: never leave the browser.
  if (!['https:', 'ws:', 'wss:'].includes(u.protocol)) return undefined;
  const port = u.port || (u.protocol === 'ws:' ? '80' : '443');
  return `${u.hostname}:${port}`.toLowerCase();
}

/**
 * Whether a request navigates a page's top-level document (the tab the test opened, or a popup):
 * a refusal of one means the page itself was sent somewhere it may not go.
 */
export function isTopNavigation(request: Request): boolean {
  if (!request.isNavigationRequest()) return false;
  try {
    const frame = request.frame();
    return frame.parentFrame() === null;
  } catch {
    // Service-worker requests have no frame (and service workers are blocked anyway).
    return false;
  }
}

/** A refusal of the proxy, told with what the page request that claimed it was. */
function attributed(blocked: BlockedRequest, claim: PageRequest): BlockedRequest {
  const kind = blocked.kind === 'connect' ? 'connect' : claim.redirect ? 'redirect' : 'request';
  return {
    ...blocked,
    kind,
    ...(claim.resourceType ? { resourceType: claim.resourceType } : {}),
    ...(claim.navigation ? { navigation: true } : {}),
  };
}

/**
 * Pairs the proxy's refusals with the context's requests; see the file comment. `watch` feeds it a
 * context's events; `pageRequest` and `requestDone` are what it calls, open for tests.
 */
export function createPageAttribution(policy: RequestPolicy, report: (blocked: BlockedRequest) => void) {
  const claims = new Map<string, Map<object, PageRequest>>();
  const waiting: { target: string; blocked: BlockedRequest }[] = [];

  const emit = (blocked: BlockedRequest, claim: PageRequest) => report(attributed(blocked, claim));

  /** A page request that reaches the proxy claims its target until {@link release}. */
  const claim = (id: object, url: string, value: PageRequest) => {
    const target = proxyTarget(url);
    if (!target) return;
    const index = waiting.findIndex((w) => w.target === target);
    if (index >= 0) {
      const [hit] = waiting.splice(index, 1);
      if (hit) emit(hit.blocked, value);
      return;
    }
    const open = claims.get(target) ?? new Map<object, PageRequest>();
    open.set(id, value);
    claims.set(target, open);
  };

  const release = (id: object, url: string) => {
    const target = proxyTarget(url);
    const open = target ? claims.get(target) : undefined;
    open?.delete(id);
    if (target && open?.size === 0) claims.delete(target);
  };

  return {
    pageRequest: claim,
    /** The request `id` finished or failed: any refusal of it has already been seen. */
    requestDone: release,

    /** The proxy's handler: a refusal is reported once a page request claims it. */
    proxyBlocked(blocked: BlockedRequest): void {
      // A tunnel's `host:port` as the proxy read it; the absolute URL of a plain HTTP request.
      const target = blocked.kind === 'connect' ? blocked.url.toLowerCase() : proxyTarget(blocked.url);
      if (!target) return;
      const open = claims.get(target);
      const first = open?.entries().next().value;
      if (open && first) {
        open.delete(first[0]);
        if (open.size === 0) claims.delete(target);
        emit(blocked, first[1]);
        return;
      }
      waiting.push({ target, blocked });
      if (waiting.length > MAX_WAITING) waiting.shift();
    },

    /** Follows the context's requests (pages, frames, workers) and WebSockets. */
    watch(context: BrowserContext): void {
      const reachesProxy = (request: Request) =>
        request.redirectedFrom() !== null || policy.check(request.url()).allowed;
      context.on('request', (request) => {
        if (!reachesProxy(request)) return;
        claim(request, request.url(), {
          resourceType: request.resourceType(),
          navigation: isTopNavigation(request),
          redirect: request.redirectedFrom() !== null,
        });
      });
      context.on('requestfinished', (request) => release(request, request.url()));
      context.on('requestfailed', (request) => release(request, request.url()));
      const onSocket = (ws: WebSocket) => {
        if (!policy.check(ws.url()).allowed) return;
        claim(ws, ws.url(), { resourceType: 'websocket', navigation: false, redirect: false });
        ws.on('close', () => release(ws, ws.url()));
      };
      for (const page of context.pages()) page.on('websocket', onSocket);
      context.on('page', (page) => page.on('websocket', onSocket));
    },
  };
}
