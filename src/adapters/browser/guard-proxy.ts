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

/** Starts a guard proxy on 127.0.0.1 (port 0) that refuses what `policy` refuses. */
export async function startGuardProxy(options: {
  policy: RequestPolicy;
  onBlocked: (blocked: BlockedRequest) => void;
  /**
   * Extra check before connecting (e.g. DNS resolution to a private address); throws to refuse.
   * When it returns an address, the proxy connects there rather than resolving the name again, so a
   * DNS answer that changes between check and connect (rebinding) cannot reach another address.
   */
  checkHost?: (hostname: string) => Promise<string | undefined>;
}): Promise<GuardProxy> {
  const { policy, onBlocked, checkHost } = options;
  const sockets = new Set<Socket>();
  // Upstream requests in flight, and the proxy's own connection pool: both end with the proxy, so a
  // site that never answers cannot hold a connection (or the process) after its context closed.
  const upstreams = new Set<ClientRequest>();
  const agent = new HttpAgent({ keepAlive: true });

  async function vet(url: string, hostname: string): Promise<Vetting> {
    const verdict = policy.check(url);
    if (!verdict.allowed) return { reason: verdict.reason };
    if (!checkHost) return {};
    try {
      const address = await checkHost(hostname);
      return address ? { address } : {};
    } catch (error) {
      if (error instanceof UnresolvedHostError) return { unreachable: error.message };
      return { reason: error instanceof Error ? error.message : String(error) };
    }
  }

  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('HouseCat guard proxy: bad request URL');
      return;
    }
    const vetting = await vet(target.href, target.hostname);
    const { reason } = vetting;
    if (reason) {
      onBlocked({ url: target.href, reason, kind: 'request' });
      req.resume();
      res
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Blocked by HouseCat: ${reason}`);
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    if (vetting.unreachable) {
      req.resume();
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`HouseCat guard proxy: ${vetting.unreachable}`);
      return;
    }
    const upstream = httpRequest(
      {
        agent,
        // The Host header is forwarded as the browser sent it.
        host: vetting.address ?? target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (upstreamRes) => {
        const outHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) outHeaders[name] = value;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, outHeaders);
        upstreamRes.pipe(res);
      },
    );
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
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
  });

  server.on('connect', async (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
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
    const vetting = await vet(url, hostname);
    if (vetting.reason) {
      onBlocked({ url: authority, reason: vetting.reason, kind: 'connect' });
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
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

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
