/**
 * `housecat up` end to end, as a user runs it: the real bin, a private redis-server it starts from
 * PATH, real Chromium, a local site, a definitions file of 3 tests at `* * * * *`. The cron is sped
 * up with the documented test knob HOUSECAT_UP_TICK_MS (tests/cli/up-minute.e2e.test.ts waits for a
 * real minute tick). One story, in order: runs appear on the page; breaking the site opens a local
 * incident after failure_threshold runs; kill -9 and restart keep history, leave no Chromium, adopt
 * the one redis-server and keep the incident open without opening it again; fixing the site closes
 * it with the summary; an edit adds a test that then runs; an invalid edit changes nothing and
 * prints its line; Ctrl-C exits 130 leaving no redis-server and no Chromium.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium, requireProgram } from '../support/system.js';
import {
  descendantsOf,
  isRunning,
  processesNamed,
  startUp,
  type UpProcess,
  waitGone,
} from '../support/up-process.js';

const WELCOME = '<html><body><h1>Welcome to the shop</h1></body></html>';
const BROKEN = '<html><body><h1>Oops, the shop is down</h1></body></html>';

function definitions(siteUrl: string, extra = ''): string {
  return `version: 1
defaults:
  schedule: "* * * * *"
  timeout: 10
  retries: 0
  failure_threshold: 2
tests:
  - name: Home
    url: ${siteUrl}/
    expect: { status: 200, text: ["Welcome"] }
  - name: Cart
    url: ${siteUrl}/cart
    expect: { status: 200, text: ["Cart"] }
  - name: Search
    url: ${siteUrl}/search
    expect: { status: 200, text: ["Search"] }
${extra}`;
}

/** The `dir` a Redis on `port` serves (CONFIG GET dir), or null. */
function configDir(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const s = createConnection({ port, host: '127.0.0.1' }, () =>
      s.write('*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$3\r\ndir\r\n'),
    );
    s.setEncoding('utf8');
    s.on('data', (d) => {
      text += d;
      const m = /^\*2\r\n\$\d+\r\ndir\r\n\$\d+\r\n(.*)\r\n/.exec(text);
      if (m) {
        s.end();
        resolve(m[1] ?? null);
      }
    });
    s.on('error', () => resolve(null));
    s.setTimeout(2000, () => s.destroy());
  });
}

/** The redis-server processes serving `dir` (their title is `redis-server 127.0.0.1:PORT`). */
async function serversOf(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const p of processesNamed('redis-server')) {
    const port = Number(/:(\d+)\s*$/.exec(p.command)?.[1]);
    if (port && (await configDir(port)) === dir) found.push(p.pid);
  }
  return found;
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, 'g')) ?? []).length;

describe.sequential('housecat up on one machine', () => {
  let site: StaticServer;
  let folder: string;
  let config: string;
  let dataDir: string;
  let up: UpProcess;
  let pageUrl = '';
  // One run slot per test: with the machine's default (one per core) the 1.5 s ticks of 4 tests
  // overflow the slots, and a tick refused a slot comes back only after 10 s (as QStash would), so a
  // test could wait 20 s for its first run. The 10 s timeout is also the lease a run killed by
  // kill -9 holds before the restarted process may run that test again.
  const env = { HOUSECAT_UP_TICK_MS: '1500', HOUSECAT_SHUTDOWN_GRACE: '5', HOUSECAT_MAX_PARALLEL_RUNS: '4' };
  const args = () => ['--config', config, '--port', '0', '--repo', 'acme/shop', '--local-incidents'];
  const api = async () =>
    (await (await fetch(`${pageUrl}/api/v1/status/acme/shop`)).json()) as {
      tests: { slug: string; lastRunAt?: string; windows: { '24h': { passed: number; failed: number } } }[];
      incidents?: unknown;
    };

  beforeAll(async () => {
    requireProgram('redis-server', 'redis-server');
    requireChromium();
    site = await startStaticServer({
      '/': WELCOME,
      '/cart': '<html><body><h1>Cart</h1></body></html>',
      '/search': '<html><body><h1>Search</h1></body></html>',
      '/contact': '<html><body><h1>Contact us</h1></body></html>',
    });
    folder = mkdtempSync(join(tmpdir(), 'housecat-up-'));
    config = join(folder, 'housecat.yml');
    dataDir = join(folder, '.housecat', 'data');
    writeFileSync(config, definitions(site.url));
  });

  afterAll(async () => {
    if (up && up.child.exitCode === null) process.kill(-up.pid, 'SIGKILL');
    for (const pid of await serversOf(dataDir).catch(() => [])) process.kill(pid, 'SIGKILL');
    await site?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the runs of the 3 tests on the page', async () => {
    up = startUp(args(), { cwd: folder, env });
    await up.waitFor(/Stop with Ctrl-C\./);
    const banner = await up.waitFor(/page:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
    pageUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)?.[0] ?? '';
    expect(up.stdout()).toMatch(/incidents:\s+local: kept in Redis/);
    expect(up.stdout()).toMatch(/store:\s+private redis-server \(started/);
    for (const slug of ['home', 'cart', 'search'])
      await up.waitFor(new RegExp(`passed\\s+acme--shop--${slug}`));
    const home = await fetch(`${pageUrl}/`, { redirect: 'manual' });
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/status/acme/shop');
    const page = await (await fetch(`${pageUrl}/status/acme/shop`)).text();
    for (const name of ['Home', 'Cart', 'Search']) expect(page).toContain(name);
    const status = await api();
    expect(status.tests.map((t) => t.slug).sort()).toEqual(['cart', 'home', 'search']);
    for (const t of status.tests) expect(t.windows['24h'].passed).toBeGreaterThan(0);
    // The dashboard needs no sign-in on loopback: the test page and its Run now form are there.
    const testPage = await (await fetch(`${pageUrl}/r/acme/shop/home`)).text();
    expect(testPage).toContain('action="/r/acme/shop/home/run"');
  });

  it('opens a local incident after failure_threshold failed runs, shown on the page', async () => {
    const from = up.stdout().length;
    site.route('/', BROKEN);
    const opened = await up.waitFor(/incident opened: .*— (http:\/\/\S+)/, { from });
    const opening = await up.waitFor(/FAILED\s+acme--shop--home.*\[incident: open\]/, { from });
    const before = up.stdout().slice(from, up.stdout().indexOf(opening, from) + opening.length);
    // Exactly failure_threshold (2) failed runs of Home, and the second one opened it.
    expect(count(before, /FAILED\s+acme--shop--home/)).toBe(2);
    const issueUrl = /— (http:\/\/\S+)/.exec(opened)?.[1] ?? '';
    expect(issueUrl).toBe(`${pageUrl}/local/acme/shop/issues/1`);
    const issue = await (await fetch(issueUrl)).text();
    expect(issue).toContain('#1 · open');
    const page = await (await fetch(`${pageUrl}/status/acme/shop`)).text();
    expect(page).toContain('/local/acme/shop/issues/1');
  });

  it('after kill -9 and a restart: history kept, no Chromium left, one redis-server, the incident still open', async () => {
    const chromium = descendantsOf(up.pid).filter((pid) => commandLineOf(pid).includes('chromium'));
    expect(chromium.length).toBeGreaterThan(0);
    const historyBefore = (await api()).tests.find((t) => t.slug === 'home')?.windows['24h'];
    const serverBefore = await serversOf(dataDir);
    expect(serverBefore).toHaveLength(1);
    process.kill(up.pid, 'SIGKILL');
    await up.exited;
    // Chromium notices its parent's pipe closing and exits by itself.
    await waitGone(chromium);
    up = startUp(args(), { cwd: folder, env });
    await up.waitFor(/store:\s+private redis-server \(adopted/);
    const banner = await up.waitFor(/page:\s+http:\/\/127\.0\.0\.1:\d+/);
    pageUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)?.[0] ?? '';
    expect(await serversOf(dataDir)).toEqual(serverBefore);
    const history = (await api()).tests.find((t) => t.slug === 'home')?.windows['24h'];
    expect(history?.failed).toBeGreaterThanOrEqual(historyBefore?.failed ?? 0);
    expect(history?.passed).toBeGreaterThanOrEqual(historyBefore?.passed ?? 1);
    // Two more failed runs of the broken page: the open incident is kept, never opened again.
    const from = up.stdout().length;
    await up.waitFor(/FAILED\s+acme--shop--home[\s\S]*FAILED\s+acme--shop--home/, { from });
    expect(up.stdout().slice(from)).not.toContain('incident opened');
    const issue = await (await fetch(`${pageUrl}/local/acme/shop/issues/1`)).text();
    expect(issue).toContain('#1 · open');
    expect((await fetch(`${pageUrl}/local/acme/shop/issues/2`)).status).toBe(404);
  });

  it('closes the incident with its summary when the site is fixed', async () => {
    const from = up.stdout().length;
    site.route('/', WELCOME);
    await up.waitFor(/incident closed: .*issues\/1/, { from });
    const issue = await (await fetch(`${pageUrl}/local/acme/shop/issues/1`)).text();
    expect(issue).toContain('#1 · closed');
    expect(issue).toContain('Recovered');
    expect(issue).toContain('Downtime');
  });

  it('reloads an edit that adds a test, and runs it', async () => {
    const from = up.stdout().length;
    writeFileSync(
      config,
      definitions(
        site.url,
        `  - name: Contact
    url: ${site.url}/contact
    expect: { text: ["Contact"] }
`,
      ),
    );
    await up.waitFor(/\+ create\s+acme--shop--contact/, { from });
    await up.waitFor(/passed\s+acme--shop--contact/, { from });
    expect((await api()).tests.map((t) => t.slug)).toContain('contact');
  });

  it('keeps the last good plan on an invalid edit and prints the error with its line', async () => {
    const from = up.stdout().length;
    const fromErr = up.stderr().length;
    const good = readFileSync(config, 'utf8');
    // Line 3 of the file: the default schedule.
    writeFileSync(config, good.replace('schedule: "* * * * *"', 'schedule: "every minute"'));
    const error = await up.waitFor(/housecat\.yml:3:\d+: .*schedule.*/, { from: fromErr, stream: 'err' });
    expect(error).toContain('housecat.yml:3:');
    expect(up.stderr().slice(fromErr)).toContain('nothing changed, the last good plan keeps running');
    // Still ticking on the last good plan, all four tests, and nothing re-planned.
    await up.waitFor(/passed\s+acme--shop--contact/, { from: up.stdout().length });
    expect(up.stdout().slice(from)).not.toContain('Re-planned');
    expect((await api()).tests).toHaveLength(4);
  });

  it('stops at Ctrl-C with exit code 130, leaving no redis-server and no Chromium', async () => {
    const chromium = descendantsOf(up.pid);
    const servers = await serversOf(dataDir);
    expect(servers).toHaveLength(1);
    // The terminal's Ctrl-C goes to the whole foreground group.
    process.kill(-up.pid, 'SIGINT');
    expect(await up.exited).toBe(130);
    await waitGone([...chromium, ...servers]);
    expect(servers.filter(isRunning)).toEqual([]);
    expect(up.stdout()).toContain('redis-server stopped');
  });
});

/** A process's command line, or '' when it exited after `ps` listed it (a page's renderer may). */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
