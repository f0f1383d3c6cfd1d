/**
 * `housecat serve` stops when told, as a real process: with incident work queued in the outbox and
 * GitHub unreachable (it accepts connections and never answers, the worst case), SIGTERM makes it
 * exit 0 within HOUSECAT_SHUTDOWN_GRACE (plus the bounded closing of the browser and Redis), and
 * the pending work is still in Redis for the next process. A second signal exits at once, even with
 * a request in flight that the grace would otherwise wait for.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/adapters/store/index.js';
import type { RedisStore } from '../../../src/adapters/store/redis-store.js';
import { incidentMarker } from '../../../src/core/incidents/render.js';
import { housecatBin, repoRoot, useBuiltCli } from '../../support/cli.js';
import { startGitHubServer } from '../../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const GRACE_S = 3;
/** serve.ts closes the browser, then Redis, each bounded by 2 s, after the grace. */
const CLOSE_BOUNDS_S = 4;

interface Served {
  child: ChildProcess;
  url: Promise<string>;
  stdout: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

describe('housecat serve stopping with GitHub work pending and GitHub unreachable', () => {
  const prefix = uniquePrefix('shutdown');
  let store: RedisStore;
  let blackhole: Server;
  const held: Socket[] = [];
  let connected: () => void;
  const githubCalled = new Promise<void>((resolve) => {
    connected = resolve;
  });
  let privateKey: string;
  let appId: number;

  beforeAll(async () => {
    store = createStore({ REDIS_URL: testRedisUrl() }, { prefix })!;
    // GitHub, unreachable: connections are accepted and never answered.
    blackhole = createServer((socket) => {
      held.push(socket);
      connected();
    });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    // Only for a valid App key pair; the app never reaches this server.
    const gh = await startGitHubServer();
    privateKey = gh.privateKey;
    appId = gh.appId;
    await gh.close();
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((r) => blackhole.close(() => r()));
    await store.close();
  });

  function serve(): Served {
    const port = (blackhole.address() as { port: number }).port;
    const child = spawn(process.execPath, [housecatBin, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        REDIS_URL: testRedisUrl(),
        HOUSECAT_REDIS_PREFIX: prefix,
        APP_ID: String(appId),
        PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'),
        WEBHOOK_SECRET: 'secret',
        HOUSECAT_PUBLIC_URL: 'https://housecat.example.test/',
        QSTASH_CURRENT_SIGNING_KEY: 'a',
        QSTASH_NEXT_SIGNING_KEY: 'b',
        GHE_HOST: `127.0.0.1:${port}`,
        GHE_PROTOCOL: 'http',
        HOUSECAT_SHUTDOWN_GRACE: String(GRACE_S),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const url = new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/listening on (http:\/\/[^\s"]+)/);
        if (m?.[1]) resolve(m[1]);
      });
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.once('exit', (code) =>
        reject(new Error(`serve exited (${code}) before it listened:\n${out}\n${err}`)),
      );
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => {
      child.once('exit', (code) => resolve({ code, at: Date.now() }));
    });
    return { child, url, stdout: () => `${out}\n${err}`, exited };
  }

  async function queueIncidentWork(testId: string) {
    const since = Date.now() - 60_000;
    const base = { testId, repo: 'acme/shop', since, createdAt: Date.now(), attempts: 0 };
    await store.outbox.commit({
      save: {
        testId,
        repo: 'acme/shop',
        status: 'open',
        since,
        openedAt: since,
        lastFailureAt: since,
        lastReason: 'down',
        failedRuns: 3,
      },
      work: [
        { ...base, id: randomUUID(), kind: 'create', title: testId, body: `${incidentMarker(testId)}\nbody` },
      ],
    });
  }

  it('exits 0 within the grace after SIGTERM, leaving the pending work in Redis', async () => {
    const testId = `down-${randomUUID().slice(0, 8)}`;
    await queueIncidentWork(testId);
    const app = serve();
    await app.url;
    // The start-up sweep is now waiting on GitHub, which never answers.
    await githubCalled;
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const { code, at } = await app.exited;
    expect(code, app.stdout()).toBe(0);
    expect((at - signalledAt) / 1000, app.stdout()).toBeLessThan(GRACE_S + CLOSE_BOUNDS_S);
    expect(app.stdout()).toContain('stopping: accepting nothing new');
    const pending = await store.outbox.pending(testId);
    expect(pending.map((p) => p.kind)).toEqual(['create']);
  });

  it('exits at once at a second signal while a request in flight holds the grace', async () => {
    const app = serve();
    const url = new URL(await app.url);
    // A request whose body never comes: in flight until the grace ends.
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {}); // reset when the process exits
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      'POST /api/callback/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    app.child.kill('SIGTERM');
    for (let i = 0; i < 200 && !app.stdout().includes('stopping:'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(app.child.exitCode, 'still running: the grace waits for the request').toBeNull();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    socket.destroy();
    expect(code, app.stdout()).toBe(130);
    expect(app.stdout()).toContain('signalled again');
  });
});
