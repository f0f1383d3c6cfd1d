/**
 * Starts a real `redis-server` on a free loopback port: for the test run (no persistence), or for
 * one test that kills and restarts it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/adapters/redis-process.js';
import { requireProgram } from './system.js';

export interface RedisServerHandle {
  port: number;
  url: string;
  stop(): Promise<void>;
}

// freePort: the one `housecat up` uses for its private Redis, asked of the kernel on 127.0.0.1.
export { freePort };

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not start listening on 127.0.0.1:${port}`);
}

/** Waits until the server has loaded its data (`INFO persistence` says `loading:0`): PING answers earlier. */
async function waitForLoaded(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const info = await new Promise<string>((resolve) => {
      let text = '';
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.write('*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n');
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        text += chunk;
        if (/\r\nloading:\d/.test(text) || text.startsWith('-')) {
          socket.end();
          resolve(text);
        }
      });
      socket.on('error', () => resolve(''));
      socket.on('close', () => resolve(text));
    });
    if (/\r\nloading:0\r\n/.test(info)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on 127.0.0.1:${port} did not finish loading its data`);
}

export interface RestartableRedisServer extends RedisServerHandle {
  /** SIGKILL: no shutdown save, connections cut mid-command, like a crashed host. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory (what it had persisted comes back), and resolves once it is loaded. */
  restart(): Promise<void>;
}

/**
 * Starts redis-server; throws with the install command when it is missing. `persistent` turns on
 * the append-only file with an fsync per write, as a hosted Redis keeps its data across a crash:
 * what was written before a SIGKILL is there again after `restart()`.
 */
export async function startRedisServer(
  options: { persistent?: boolean } = {},
): Promise<RestartableRedisServer> {
  const binary = requireProgram('redis-server', 'redis-server');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'housecat-redis-'));
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  let child: ChildProcess;
  let exited: Promise<void>;
  const spawnServer = async () => {
    child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitForPort(port, Date.now() + 10_000);
    await waitForLoaded(port, Date.now() + 10_000);
  };
  await spawnServer();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    restart: spawnServer,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
