/**
 * `housecat up` on the real clock, no test knob: a test at `* * * * *` runs at the next minute and
 * shows on the status page within 2.5 minutes of the start (the promise to a newcomer), its
 * run recorded on its minute tick.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium, requireProgram } from '../support/system.js';
import { startUp, type UpProcess } from '../support/up-process.js';

describe('housecat up on the real minute cron', () => {
  let site: StaticServer;
  let folder: string;
  let up: UpProcess;

  beforeAll(async () => {
    requireProgram('redis-server', 'redis-server');
    requireChromium();
    site = await startStaticServer({ '/': '<html><body><h1>Welcome</h1></body></html>' });
    folder = mkdtempSync(join(tmpdir(), 'housecat-up-minute-'));
    writeFileSync(
      join(folder, 'housecat.yml'),
      `version: 1
tests:
  - name: Home
    url: ${site.url}/
    schedule: "* * * * *"
    expect: { text: ["Welcome"] }
`,
    );
  });

  afterAll(async () => {
    if (up && up.child.exitCode === null) {
      process.kill(-up.pid, 'SIGINT');
      await up.exited;
    }
    await site?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the first run on the page within 2.5 minutes, on its minute tick', {
    timeout: 170_000,
  }, async () => {
    up = startUp(['--config', 'housecat.yml', '--port', '0', '--repo', 'acme/shop', '--local-incidents'], {
      cwd: folder,
      env: { HOUSECAT_SHUTDOWN_GRACE: '5' },
    });
    await up.waitFor(/passed\s+acme--shop--home/, { timeoutMs: 150_000 });
    const pageUrl = /page:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(up.stdout())?.[1];
    const status = (await (await fetch(`${pageUrl}/api/v1/status/acme/shop/home`)).json()) as {
      runs: { status: string }[];
    };
    expect(status.runs.map((r) => r.status)).toContain('passed');
    expect(await (await fetch(`${pageUrl}/status/acme/shop`)).text()).toContain('Home');
    // Recorded on its minute tick, its lateness counted from there, as a QStash delivery's is.
    const { port } = JSON.parse(readFileSync(join(folder, '.housecat/data/redis-server.json'), 'utf8'));
    const store = createStore({ REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      const [result] = (await store?.getResults('acme--shop--home')) ?? [];
      expect(result?.tick).toBeDefined();
      expect((result?.tick ?? 1) % 60_000).toBe(0);
      expect(result?.latenessMs).toBeGreaterThanOrEqual(0);
    } finally {
      await store?.close();
    }
  });
});
