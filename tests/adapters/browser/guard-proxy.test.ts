import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GuardProxy,
  startGuardProxy,
  UnresolvedHostError,
} from '../../../src/adapters/browser/guard-proxy.js';
import { type StaticServer, startStaticServer } from '../../support/static-server.js';

// `.invalid` never resolves (RFC 2606): reaching the app under this name proves the proxy used the
// address its check vetted instead of asking DNS again, which is what defeats DNS rebinding.
const NAME = 'rebind.invalid';

let app: StaticServer;
let pinned: GuardProxy;
let unresolved: GuardProxy;
// The proxy uses the checkHost each test gives it; the policy's own flag plays no part here.
const allowAll = { check: () => ({ allowed: true as const }), allowPrivateNetwork: false };

beforeAll(async () => {
  app = await startStaticServer({ '/hello': 'hello from the vetted address' });
  pinned = await startGuardProxy({
    policy: allowAll,
    onBlocked: () => {},
    checkHost: async () => '127.0.0.1',
  });
  unresolved = await startGuardProxy({
    policy: allowAll,
    onBlocked: () => {},
    checkHost: async (host) => {
      throw new UnresolvedHostError(host);
    },
  });
});

afterAll(async () => {
  await Promise.all([pinned.close(), unresolved.close(), app.close()]);
});

function viaProxy(proxy: GuardProxy, url: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(proxy.server);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('guard proxy', () => {
  it('connects to the address the check vetted, not to a fresh DNS answer', async () => {
    const response = await viaProxy(pinned, `http://${NAME}:${app.port}/hello`);
    expect(response).toEqual({ status: 200, body: 'hello from the vetted address' });
    expect(app.requests.at(-1)?.headers.host).toBe(`${NAME}:${app.port}`);
  });

  it('pins tunnels (CONNECT) to the vetted address too', async () => {
    const { hostname, port } = new URL(pinned.server);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`CONNECT ${NAME}:${app.port} HTTP/1.1\r\nHost: ${NAME}:${app.port}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString();
        if (data.includes('200 Connection Established') && !data.includes('GET sent')) {
          data += 'GET sent';
          socket.write(`GET /hello HTTP/1.1\r\nHost: ${NAME}\r\nConnection: close\r\n\r\n`);
        }
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toContain('hello from the vetted address');
  });

  it('answers 502 "unreachable" without connecting when the name does not resolve', async () => {
    const before = app.requests.length;
    const response = await viaProxy(unresolved, `http://${NAME}:${app.port}/hello`);
    expect(response.status).toBe(502);
    expect(response.body).toBe(`HouseCat guard proxy: getaddrinfo ENOTFOUND ${NAME}`);
    expect(app.requests.length).toBe(before);
  });
});

describe('guard proxy and a site that never answers', () => {
  it('closes its upstream connection when the proxy closes (the context closed)', async () => {
    const { createServer } = await import('node:net');
    const open = new Set<import('node:net').Socket>();
    const hung = createServer((socket) => {
      open.add(socket);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    const proxy = await startGuardProxy({ policy: allowAll, onBlocked: () => {} });
    const proxyPort = Number(new URL(proxy.server).port);
    const client = request({ host: '127.0.0.1', port: proxyPort, path: `http://127.0.0.1:${port}/` });
    client.on('error', () => undefined);
    client.end();
    for (let i = 0; i < 100 && open.size === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(open.size).toBe(1);
    await proxy.close();
    for (let i = 0; i < 100 && open.size > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(open.size).toBe(0);
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  it('closes its upstream connection when the browser gives up on the request', async () => {
    const { createServer } = await import('node:net');
    const open = new Set<import('node:net').Socket>();
    const hung = createServer((socket) => {
      open.add(socket);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    const proxy = await startGuardProxy({ policy: allowAll, onBlocked: () => {} });
    const proxyPort = Number(new URL(proxy.server).port);
    const client = request({ host: '127.0.0.1', port: proxyPort, path: `http://127.0.0.1:${port}/` });
    client.on('error', () => undefined);
    client.end();
    for (let i = 0; i < 100 && open.size === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(open.size).toBe(1);
    client.destroy();
    for (let i = 0; i < 100 && open.size > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(open.size).toBe(0);
    await proxy.close();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });
});
