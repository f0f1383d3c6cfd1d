/**
 * What the browser layer needs from the host policy (src/core/net/host-policy.ts), stated
 * structurally so the browser depends on the shape, not on the module.
 */
export interface RequestPolicy {
  check(url: string): { allowed: true } | { allowed: false; reason: string };
  /**
   * Unless `true`, the guard proxy also resolves each hostname and refuses names that point at a
   * private address (the DNS half of the private-network rule). Required, so every policy states
   * it; a policy that still lacks it at run time (plain JavaScript, a spread that dropped it) gets
   * the check.
   */
  readonly allowPrivateNetwork: boolean;
}

/**
 * One request of the test's page (its frames or workers) that the guard refused. Becomes a
 * `blocked` step of the run. The browser's own requests are refused too, but never reported.
 */
export interface BlockedRequest {
  /** The refused URL (for a CONNECT tunnel: `host:port`). */
  url: string;
  reason: string;
  /**
   * Where it was caught: `request` (route or proxy), `redirect` (a later hop of a redirect chain),
   * `connect` (an HTTPS/WebSocket tunnel), `websocket`.
   */
  kind: 'request' | 'redirect' | 'connect' | 'websocket';
  /** Playwright's resource type, when known: `document`, `script`, `fetch`, `image`, ... */
  resourceType?: string;
  /**
   * True when the refused request navigated a page's top-level document (the tab the test opened
   * or a popup; a redirect hop included): the page itself was sent where it may not go.
   */
  navigation?: boolean;
}

export interface GuardedContextOptions {
  policy: RequestPolicy;
  onBlocked?: (blocked: BlockedRequest) => void;
  /** Extra asynchronous check per host before the proxy connects (DNS to a private address). */
  checkHost?: (hostname: string) => Promise<string | undefined>;
  /** Viewport size; default 1280×800. */
  viewport?: { width: number; height: number };
}
