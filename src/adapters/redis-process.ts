/**
 * The private `redis-server` of `housecat up`: its data in `.housecat/data/` next to the definitions
 * file, append-only so history survives restarts, on a free loopback port. Exactly one serves a
 * folder: a server a previous `up` left running (it was killed with -9) is found by its pidfile and
 * adopted, after checking that it answers and that its `dir` is this folder. It runs in its own
 * process group, so a terminal's Ctrl-C reaches `up` only, and `up` stops it after the last result
 * is recorded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../core/errors.js';

/** What `up` says when there is no redis-server: install it, or point REDIS_URL at one. */
export const INSTALL_REDIS =
  'no redis-server found on PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; Fedora: sudo dnf install redis), or set REDIS_URL to a Redis you run';

export interface PrivateRedis {
  url: string;
  pid: number;
  port: number;
  /** The data folder. */
  dir: string;
  /** True when a server a previous process started was found alive and taken over. */
  adopted: boolean;
  /** Stops the server (SIGTERM: it flushes the append-only file first) and waits until it is gone. */
  stop(): Promise<void>;
}

/** The redis-server on `path` (a PATH value), or undefined. */
export function findRedisServer(path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface ServerFile {
  pid: number;
  port: number;
}

const STATE_FILE = 'redis-server.json';
const PID_FILE = 'redis-server.pid';

/** Starts (or adopts) the private server for `dir`. Throws ConfigError when there is no redis-server. */
export async function startPrivateRedis(options: { dir: string; path: string }): Promise<PrivateRedis> {
  const binary = findRedisServer(options.path);
  if (!binary) throw new ConfigError(INSTALL_REDIS);
  mkdirSync(options.dir, { recursive: true });
  const dir = realpathSync(options.dir);
  const adopted = await adopt(dir);
  if (adopted) return adopted;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      return await spawnServer(binary, dir, port);
    } catch (error) {
      // Another process took the port between our probe and redis-server's bind: try another.
      if (attempt >= 2) throw error;
    }
  }
}

async function spawnServer(binary: string, dir: string, port: number): Promise<PrivateRedis> {
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--pidfile',
      join(dir, PID_FILE),
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await waitUntilLoaded(port, Date.now() + 15_000, () => child.exitCode !== null);
  if (!ready) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr.trim().slice(-400)}`);
  }
  const pid = child.pid as number;
  writeFileSync(join(dir, STATE_FILE), JSON.stringify({ pid, port } satisfies ServerFile));
  // Not waited for by this process's event loop: `up` decides when it stops.
  child.unref();
  child.stderr?.destroy();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid,
    port,
    dir,
    adopted: false,
    stop: () => stopServer(pid, dir),
  };
}

/** A live server a previous `up` started for `dir`, or null (a stale state file is removed). */
async function adopt(dir: string): Promise<PrivateRedis | null> {
  let state: ServerFile;
  try {
    state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as ServerFile;
  } catch {
    return null;
  }
  const alive = isAlive(state.pid);
  const serving = alive ? await configDir(state.port) : null;
  if (alive && serving !== null && samePath(serving, dir)) {
    return {
      url: `redis://127.0.0.1:${state.port}`,
      pid: state.pid,
      port: state.port,
      dir,
      adopted: true,
      stop: () => stopServer(state.pid, dir),
    };
  }
  // The recorded process is gone, or the pid was reused by something else: never signal that one.
  rmSync(join(dir, STATE_FILE), { force: true });
  return null;
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stopServer(pid: number, dir: string): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(join(dir, STATE_FILE), { force: true });
}

/** Asks the kernel for a free TCP port on 127.0.0.1 (the test support's redis-server uses it too). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one command in RESP and returns the raw answer text ('' when nobody answers). */
function ask(port: number, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk) => {
      text += chunk;
      // One reply is enough: an error line, or a complete array/bulk reply of INFO or CONFIG GET.
      if (text.startsWith('-') || /\r\n$/.test(text)) {
        socket.end();
        resolve(text);
      }
    });
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(text));
  });
}

/** The `dir` the server on `port` serves, or null when nothing (or not a Redis) answers there. */
async function configDir(port: number): Promise<string | null> {
  const answer = await ask(port, ['CONFIG', 'GET', 'dir']);
  const match = /^\*2\r\n\$\d+\r\ndir\r\n\$\d+\r\n(.*)\r\n/.exec(answer);
  return match?.[1] ?? null;
}

/** Waits until the server has loaded its data (`loading:0`): PING answers before the AOF is read. */
async function waitUntilLoaded(port: number, deadline: number, died: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !died()) {
    const info = await ask(port, ['INFO', 'persistence']);
    if (/\r\nloading:0\r\n/.test(info)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
