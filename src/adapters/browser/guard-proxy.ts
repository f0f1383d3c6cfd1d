/**
 * A tiny forward proxy, one per browser context, that applies the HostPolicy to every connection
 * Chromium opens. It is the backstop behind `context.route`: Playwright's route handler never sees
 * the later hops of a redirect chain (a 302 from an allowed host to another host goes straight out),
 * nor every WebSocket, but each hop and each tunnel goes through this proxy.
 *
 * Plain HTTP requests arrive in absolute form (the whole URL is checked); HTTPS and WebSocket
 * traffic arrives as `CONNECT host:port` (host and port are checked, the path is not visible).
 */
import {
  type ClientRequest,
  createServer,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import type { BlockedRequest, RequestPolicy } from './types.js';

export interface GuardProxy {
  /** `http://127.0.0.1:PORT`, for `newContext({ proxy: { server } })`. */
  server: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'proxy-connection',
  'proxy-authorization',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
]);

/** Thrown by a `checkHost` when a name does not resolve: the site is unreachable, not refused. */
export class UnresolvedHostError extends Error {
  constructor(readonly hostname: string) {
    super(`getaddrinfo ENOTFOUND ${hostname}`);
  }
}

type Vetting = { reason?: string; address?: string; unreachable?: string };

/** What decides and reports: the host policy, the listener for refusals, and the optional DNS check. */
export interface GuardProxyOptions {
  policy: RequestPolicy;
  onBlocked: (blocked: BlockedRequest) => void;
  /**
   * Extra check before connecting (e.g. DNS resolution to a private address); throws to refuse.
   * When it returns an address, the proxy connects there rather than resolving the name again, so a
   * DNS answer that changes between check and connect (rebinding) cannot reach another address.
   */
  checkHost?: (hostname: string) => Promise<string | undefined>;
}

/** One proxy's options and everything it must end when it closes. */
interface ProxyState extends GuardProxyOptions {
  sockets: Set<Socket>;
  // Upstream requests in flight, and the proxy's own connection pool: both end with the proxy, so a
  // site that never answers cannot hold a connection (or the process) after its context closed.
  upstreams: Set<ClientRequest>;
  agent: HttpAgent;
}

/** Starts a guard proxy on 127.0.0.1 (port 0) that refuses what `policy` refuses. */
export async function startGuardProxy(options: GuardProxyOptions): Promise<GuardProxy> {
  const state: ProxyState = {
    ...options,
    sockets: new Set(),
    upstreams: new Set(),
    agent: new HttpAgent({ keepAlive: true }),
  };
  const { sockets, upstreams, agent } = state;
  const server: Server = createServer((req, res) => void handleRequest(state, req, res));
  server.on(
    'connect',
    (req: IncomingMessage, client: Socket, head: Buffer) => void handleConnect(state, req, client, head),
  );
  server.on('connection', (socket: Socket) => track(state, socket));

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const upstream of upstreams) upstream.destroy();
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Keeps `socket` in the proxy's set until it closes, so closing the proxy ends it. */
function track(state: ProxyState, socket: Socket): void {
  state.sockets.add(socket);
  socket.on('close', () => state.sockets.delete(socket));
}

/** Asks the policy, then `checkHost`: a reason to refuse, an unresolvable name, or the address to use. */
async function vet(state: ProxyState, url: string, hostname: string): Promise<Vetting> {
  const verdict = state.policy.check(url);
  if (!verdict.allowed) return { reason: verdict.reason };
  if (!state.checkHost) return {};
  try {
    const address = await state.checkHost(hostname);
    return address ? { address } : {};
  } catch (error) {
    if (error instanceof UnresolvedHostError) return { unreachable: error.message };
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The headers without the hop-by-hop ones, which belong to one connection and are not forwarded. */
function endToEndHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

/** A plain HTTP request (absolute URL): refused with 403, or forwarded once the whole URL is vetted. */
async function handleRequest(state: ProxyState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('HouseCat guard proxy: bad request URL');
    return;
  }
  const vetting = await vet(state, target.href, target.hostname);
  const { reason } = vetting;
  if (reason) {
    state.onBlocked({ url: target.href, reason, kind: 'request' });
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`Blocked by HouseCat: ${reason}`);
    return;
  }
  if (vetting.unreachable) {
    req.resume();
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`HouseCat guard proxy: ${vetting.unreachable}`);
    return;
  }
  forward(state, req, res, target, vetting.address);
}

/** Sends a vetted request upstream (to `address` when the check pinned one) and pipes the answer back. */
function forward(
  state: ProxyState,
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  address?: string,
): void {
  const upstream = httpRequest(
    {
      agent: state.agent,
      // The Host header is forwarded as the browser sent it.
      host: address ?? target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || 80,
      method: req.method,
      path: `${target.pathname}${target.search}`,
      headers: endToEndHeaders(req.headers),
    },
    (upstreamRes) => {
      res.writeHead(
        upstreamRes.statusCode ?? 502,
        upstreamRes.statusMessage,
        endToEndHeaders(upstreamRes.headers),
      );
      upstreamRes.pipe(res);
    },
  );
  state.upstreams.add(upstream);
  upstream.on('close', () => state.upstreams.delete(upstream));
  upstream.on('error', (error) => {
    if (res.writableEnded || res.destroyed) return;
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`HouseCat guard proxy: ${error.message}`);
  });
  // The browser gave up (navigation timeout, page closed): so does the proxy.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** A `CONNECT host:port` tunnel (HTTPS, WebSocket): refused, or opened to the vetted address. */
async function handleConnect(
  state: ProxyState,
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
): Promise<void> {
  track(state, client);
  client.on('error', () => client.destroy());
  const authority = req.url ?? '';
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(authority);
  if (!match) {
    client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const hostname = match[1]!;
  const port = Number(match[2]);
  // CONNECT hides the scheme: 443 is HTTPS/WSS, anything else is checked as plain HTTP on that port.
  const url = port === 443 ? `https://${hostname}/` : `http://${hostname}:${port}/`;
  const vetting = await vet(state, url, hostname);
  if (vetting.reason) {
    state.onBlocked({ url: authority, reason: vetting.reason, kind: 'connect' });
    client.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nBlocked by HouseCat');
    return;
  }
  if (vetting.unreachable) {
    client.end(
      `HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\nHouseCat guard proxy: ${vetting.unreachable}`,
    );
    return;
  }
  // TLS runs end to end inside the tunnel, so connecting to the vetted address keeps SNI and certificates intact.
  const upstream = connect(port, vetting.address ?? hostname.replace(/^\[|\]$/g, ''), () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  track(state, upstream);
  upstream.on('error', () => client.destroy());
}
