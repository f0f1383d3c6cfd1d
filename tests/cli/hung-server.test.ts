/**
 * A site that accepts the connection and never answers (issue 13, defect 1). The compiled CLI runs
 * one `expect` test with `timeout: 5` against a real TCP server that reads and never writes: the
 * test is `failed` (the site's fault) with "no response from URL within 5 s", `housecat run` exits
 * 1, and neither a connection to the server nor a browser process is left behind.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from '../support/cli.js';
import { requireChromium } from '../support/system.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

let hung: Server;
let url: string;
const open = new Set<Socket>();
let accepted = 0;

beforeAll(async () => {
  requireChromium();
  // Plain TCP: accepts, reads the request, never writes a byte.
  hung = createServer((socket) => {
    accepted += 1;
    open.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const address = hung.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});

afterAll(async () => {
  for (const socket of open) socket.destroy();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
});

describe('housecat run against a server that never answers', () => {
  it('reports failed "no response from URL within 5 s", exits 1 and leaves no connection open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-hung-'));
    const file = join(dir, 'hung.yml');
    writeFileSync(
      file,
      `version: 1
tests:
  - name: Hung site
    id: hung
    url: ${url}
    timeout: 5
    expect: { status: 200 }
`,
    );
    const json = join(dir, 'hung.json');
    const started = Date.now();
    const result = await runCli(['run', '--config', file, '--repo', 'acme/shop', '--json', json], {
      env: { HOUSECAT_ALLOW_PRIVATE_NETWORK: '1', HOUSECAT_CHROMIUM: requireChromium() },
      timeoutMs: 120_000,
    });
    const wallMs = Date.now() - started;
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const [only] = report.results;
    expect(only.status).toBe('failed');
    expect(only.reason).toBe(`no response from ${url} within 5 s`);
    // A failed site is not retried: one attempt.
    expect(only.attempt).toBe(1);
    // The test's own clock, browser start included, stops at its 5 s timeout (plus the time to
    // collect evidence and close the context).
    expect(only.durationMs).toBeLessThan(10_000);
    expect(accepted).toBeGreaterThan(0);
    // The process has exited, so the kernel closed what it held; the close reaches this process
    // as an event, hence the short poll. Before the fix the process itself never exited.
    for (let i = 0; i < 40 && open.size > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(open.size).toBe(0);
    // Node start-up and Chromium launch on a loaded machine come on top; the bound is loose.
    expect(wallMs).toBeLessThan(60_000);
  }, 130_000);
});
