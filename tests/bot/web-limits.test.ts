/**
 * The server's own limits over real sockets: an oversized unsigned webhook is refused from its
 * Content-Length before its body is read, slow clients are disconnected so they cannot hold the
 * callback route, and connections past the cap are closed at once.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness } from './harness.js';

const MB = 1024 * 1024;

/** POSTs `size` bytes to `url` in 1 MB writes (one reused buffer), stopping once the answer arrives. */
function bigPost(url: string, size: number, chunked = false): Promise<{ status: number; sent: number }> {
  const chunk = Buffer.alloc(MB, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': 'big',
        'x-hub-signature-256': 'sha256=00',
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Opens a raw socket to the app, reading (so the server's close is seen); resolves once connected. */
function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    socket.resume();
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

describe('server limits', () => {
  let h: Harness;
  const TEST = makeTest('slow', { id: 'acme--shop--slow', repo: 'acme/shop' });
  beforeAll(async () => {
    h = await startHarness({
      serverLimits: { headersTimeoutMs: 500, requestTimeoutMs: 1000, checkIntervalMs: 100 },
    });
    await h.addTest(TEST);
  });
  afterAll(async () => h?.close());

  it('answers a 50 MB unsigned webhook 413 without reading it, the process growing under 20 MB', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss - before.rss, m.arrayBuffers - before.arrayBuffers);
    }, 5);
    try {
      const answer = await bigPost(`${h.url}/api/github/webhooks`, 50 * MB);
      expect(answer.status).toBe(413);
      // The answer came while the upload was still going: the app did not wait for the body.
      expect(answer.sent).toBeLessThan(50 * MB);
    } finally {
      clearInterval(sample);
    }
    const after = process.memoryUsage();
    peak = Math.max(peak, after.rss - before.rss, after.arrayBuffers - before.arrayBuffers);
    expect(peak).toBeLessThan(20 * MB);
  });

  it('answers a chunked webhook without a length 411 before reading it', async () => {
    expect((await bigPost(`${h.url}/api/github/webhooks`, 30 * MB, true)).status).toBe(411);
  });

  it('disconnects 50 slow clients, and the callback route still answers a real delivery', async () => {
    const port = Number(new URL(h.url).port);
    const slow: Socket[] = [];
    for (let i = 0; i < 25; i++) {
      // Headers that never finish (slowloris) …
      const s = await openSocket(port);
      s.write(`POST /api/callback/${TEST.id} HTTP/1.1\r\nHost: x\r\n`);
      slow.push(s);
      // … and a body that never finishes.
      const b = await openSocket(port);
      b.write(`POST /api/callback/${TEST.id} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"a":`);
      slow.push(b);
    }
    for (const s of slow) s.on('error', () => {});
    await Promise.all(slow.map(closed));
    const answer = await deliverScheduled(h.url, h.signing.current, TEST.id);
    expect(answer.status).toBe(200);
  });
});

describe('connection cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ serverLimits: { maxConnections: 20, headersTimeoutMs: 120_000 } });
  });
  afterAll(async () => h?.close());

  it('closes connections past the cap at once and keeps serving the open ones', async () => {
    const port = Number(new URL(h.url).port);
    const sockets: Socket[] = [];
    for (let i = 0; i < 30; i++) {
      const s = await openSocket(port);
      s.on('error', () => {});
      sockets.push(s);
    }
    // Exactly the ten past the cap are closed by the server.
    await Promise.all(sockets.slice(20).map(closed));
    expect(sockets.slice(0, 20).filter((s) => s.destroyed)).toHaveLength(0);
    const first = sockets[0] as Socket;
    const reply = new Promise<string>((resolve) => first.once('data', (d) => resolve(String(d))));
    first.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await reply).toMatch(/^HTTP\/1\.1 200/);
    for (const s of sockets) s.destroy();
  });
});
