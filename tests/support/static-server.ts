/**
 * Serves fixture pages on 127.0.0.1 port 0, recording every request so tests can assert what was
 * (and was not) fetched.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export type Route =
  | string
  | { status?: number; body: string; type?: string; headers?: Record<string, string>; delayMs?: number }
  | ((req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>);

export interface StaticServer {
  url: string;
  port: number;
  host: string;
  requests: RecordedRequest[];
  /** Adds or replaces a route while the server runs. */
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

/** Starts a server for `routes` (path without query → HTML string, response spec, or handler). */
export async function startStaticServer(routes: Record<string, Route> = {}): Promise<StaticServer> {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = table.get(path);
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (typeof route === 'function') {
        await route(req, res, Buffer.concat(chunks).toString('utf8'));
        return;
      }
      const spec = typeof route === 'string' ? { body: route } : route;
      if ('delayMs' in spec && spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
      res
        .writeHead(spec.status ?? 200, {
          'content-type': spec.type ?? 'text/html; charset=utf-8',
          ...spec.headers,
        })
        .end(spec.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    requests,
    route(path, route) {
      table.set(path, route);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
