/**
 * The store over the `redis` client (TCP, REDIS_URL) on the same real redis-server: the shared
 * suite, plus the errors of the TCP transport.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { createTcpStore } from '../../../src/adapters/store/index.js';
import { ServiceError } from '../../../src/core/errors.js';
import { testRedisUrl } from '../../support/redis.js';
import { freePort, startRedisServer } from '../../support/redis-server.js';
import { run } from './fixtures.js';
import { describeIncidentHistorySuite } from './incident-history-suite.js';
import { describeOutboxSuite } from './outbox-suite.js';
import { describeStoreSuite } from './store-suite.js';

describeStoreSuite('tcp', async (options) => createTcpStore({ ...options, url: testRedisUrl() }));
describeOutboxSuite('tcp', async (options) => createTcpStore({ ...options, url: testRedisUrl() }));
describeIncidentHistorySuite('tcp', async (options) => createTcpStore({ ...options, url: testRedisUrl() }));

function expectServiceError(error: unknown, pattern: RegExp, secrets: string[] = []): ServiceError {
  expect(error).toBeInstanceOf(ServiceError);
  const e = error as ServiceError;
  expect(e.service).toBe('Redis');
  expect(e.message).toMatch(pattern);
  for (const s of secrets) expect(e.message).not.toContain(s);
  return e;
}

describe('Redis (TCP) errors', () => {
  it('names REDIS_URL when nothing listens there', async () => {
    const port = await freePort();
    const store = createTcpStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 3000 });
    const error = await store.getTest('acme--web--x').catch((e) => e);
    expectServiceError(
      error,
      /Redis: read test failed: could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — check REDIS_URL/,
    );
    await store.close();
  });

  it('names REDIS_URL when the server was stopped', async () => {
    const server = await startRedisServer();
    const store = createTcpStore({ url: server.url, timeoutMs: 3000 });
    expect(await store.getTest('acme--web--x')).toBeNull();
    await server.stop();
    const error = await store
      .recordRun(run('acme--web--x', { reason: 'STORED-VALUE-3' }), [])
      .catch((e) => e);
    const e = expectServiceError(error, /Redis: record run failed: .*check REDIS_URL/, ['STORED-VALUE-3']);
    expect(e.retryable).toBe(true);
    await store.close();
  });

  it('reconnects on the next call once the server is back on the same port', async () => {
    const port = await freePort();
    const start = async () => {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: 50 } });
      probe.on('error', () => {});
      await probe.connect();
      await probe.close();
      return async () => {
        child.kill('SIGTERM');
        await exited;
      };
    };
    let stop = await start();
    const store = createTcpStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 3000 });
    try {
      await store.claim('k', 'me', 60_000);
      await stop();
      const error = await store.claim('k', 'me', 60_000).catch((e) => e);
      expectServiceError(error, /Redis: claim failed: .*check REDIS_URL/);
      await new Promise((r) => setTimeout(r, 500));
      stop = await start();
      expect(await store.claim('k', 'me', 60_000)).toBe(true);
    } finally {
      await store.close();
      await stop();
    }
  });

  it('names the password in REDIS_URL, without the password, when it is wrong', async () => {
    const server = await startRedisServer();
    const admin = createClient({ url: server.url });
    await admin.connect();
    await admin.configSet('requirepass', 'right-pass-8c2d');
    await admin.close();
    try {
      const store = createTcpStore({
        url: `redis://:wrong-pass-77aa@127.0.0.1:${server.port}`,
        timeoutMs: 3000,
      });
      const error = await store.getTest('acme--web--x').catch((e) => e);
      const e = expectServiceError(
        error,
        /refused the credentials — check the user and password in REDIS_URL/,
        ['wrong-pass-77aa', 'right-pass-8c2d'],
      );
      expect(e.retryable).toBe(false);
      await store.close();
      const good = createTcpStore({ url: `redis://:right-pass-8c2d@127.0.0.1:${server.port}` });
      expect(await good.getTest('acme--web--x')).toBeNull();
      await good.close();
    } finally {
      await server.stop();
    }
  });

  it('gives up after the timeout when the server accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const store = createTcpStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 300 });
    const started = Date.now();
    const error = await store.getTest('acme--web--x').catch((e) => e);
    expectServiceError(error, /read test failed: 127\.0\.0\.1:\d+ did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2500);
    await store.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('calls a server still loading its data after a restart retryable, so the delivery is retried', async () => {
    // A Redis that has just restarted answers every data command with -LOADING until its data is
    // back; HELLO/PING/CLIENT pass, as on the real server.
    const loading: Server = createServer((socket) => {
      let buffered = '';
      socket.on('data', (chunk) => {
        buffered += chunk.toString('utf8');
        for (let command = takeCommand(); command; command = takeCommand()) {
          const name = command[0]?.toUpperCase() ?? '';
          if (['PING', 'CLIENT', 'SELECT', 'AUTH'].includes(name)) socket.write('+OK\r\n');
          else socket.write('-LOADING Redis is loading the dataset in memory\r\n');
        }
      });
      /** One RESP command (array of bulk strings) off the front of the buffer, or null if incomplete. */
      function takeCommand(): string[] | null {
        const head = /^\*(\d+)\r\n/.exec(buffered);
        if (!head) return null;
        let at = head[0].length;
        const parts: string[] = [];
        for (let i = 0; i < Number(head[1]); i++) {
          const bulk = /^\$(\d+)\r\n/.exec(buffered.slice(at));
          if (!bulk) return null;
          const start = at + bulk[0].length;
          if (buffered.length < start + Number(bulk[1]) + 2) return null;
          parts.push(buffered.slice(start, start + Number(bulk[1])));
          at = start + Number(bulk[1]) + 2;
        }
        buffered = buffered.slice(at);
        return parts;
      }
    });
    await new Promise<void>((r) => loading.listen(0, '127.0.0.1', r));
    const port = (loading.address() as { port: number }).port;
    const store = createTcpStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 1000 });
    const error = await store.getTest('acme--web--x').catch((e) => e);
    expectServiceError(error, /read test failed: 127\.0\.0\.1:\d+ is not ready yet \(LOADING/);
    expect((error as ServiceError).retryable).toBe(true);
    await store.close();
    await new Promise<void>((r) => loading.close(() => r()));
  });

  it('refuses a URL that is not a Redis URL with a ConfigError naming REDIS_URL', () => {
    expect(() => createTcpStore({ url: 'https://example.com' })).toThrow(/REDIS_URL is not a Redis URL/);
  });
});
