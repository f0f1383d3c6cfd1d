/**
 * The private redis-server of `housecat up`, on the bad days: a server left by a killed `up` is
 * adopted (never a second one for the folder); a record whose pid now belongs to another process,
 * or whose port answers for another folder, is dropped without signalling anyone, and a fresh server
 * starts on the same data, which is still there.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../../src/adapters/redis-process.js';
import { createStore } from '../../src/adapters/store/index.js';
import { testRedisUrl } from '../support/redis.js';
import { requireProgram } from '../support/system.js';
import { isRunning, waitGone } from '../support/up-process.js';

describe('the private redis-server', () => {
  let dir: string;
  const started: PrivateRedis[] = [];
  beforeAll(() => {
    requireProgram('redis-server', 'redis-server');
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'housecat-redis-proc-')));
  });
  afterAll(async () => {
    for (const s of started) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adopts the server a previous process left running, and keeps its data', async () => {
    const first = await startPrivateRedis({ dir, path: process.env.PATH ?? '' });
    started.push(first);
    expect(first.adopted).toBe(false);
    const store = createStore({ REDIS_URL: first.url });
    await store?.claim('survives', 'me', 600_000);
    await store?.close();
    // The process that started it is gone (kill -9): the next start finds it by its record.
    const second = await startPrivateRedis({ dir, path: process.env.PATH ?? '' });
    started.push(second);
    expect(second).toMatchObject({ adopted: true, pid: first.pid, port: first.port });
  });

  it('drops a record whose pid is another live process, signals nobody, and restarts on the same data', async () => {
    const first = started[started.length - 1] as PrivateRedis;
    await first.stop();
    await waitGone([first.pid]);
    // The pid now belongs to something else (here: a sleeping child), the port to another Redis.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    const otherPort = Number(new URL(testRedisUrl()).port);
    writeFileSync(join(dir, 'redis-server.json'), JSON.stringify({ pid: other.pid, port: otherPort }));
    const fresh = await startPrivateRedis({ dir, path: process.env.PATH ?? '' });
    started.push(fresh);
    expect(fresh.adopted).toBe(false);
    expect(fresh.port).not.toBe(otherPort);
    expect(isRunning(other.pid as number)).toBe(true);
    other.kill();
    expect(JSON.parse(readFileSync(join(dir, 'redis-server.json'), 'utf8')).pid).toBe(fresh.pid);
    // The append-only file brought the data back.
    const store = createStore({ REDIS_URL: fresh.url });
    expect(await store?.readClaim('survives')).toBe('me');
    await store?.close();
  });
});
