import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housecatBin, repoRoot, runCli, useBuiltCli } from '../support/cli.js';
import { parseJUnit } from '../support/junit-parse.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium } from '../support/system.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

/** Every process below `pid` (children, grandchildren, ...), read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field of /proc/PID/stat, after the "(command name)".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** True while `pid` runs (a zombie, dead but not yet reaped, counts as ended). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const html = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

let app: StaticServer;
let dir: string;
const env = () => ({
  HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  HOUSECAT_CHROMIUM: requireChromium(),
  // Expected text that never comes costs this wait on every failing check (default 5 s); these
  // pages render their text with the document, so half a second is plenty.
  HOUSECAT_TEXT_WAIT_MS: '500',
});

function writeConfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

beforeAll(async () => {
  requireChromium();
  app = await startStaticServer({
    '/login': html('Sign in', '<h1>Sign in</h1><form><input name="u"></form>'),
    '/dashboard': html('Dashboard', '<h1>Welcome back</h1>'),
    '/broken': { status: 500, body: html('Error', '<h1>Internal Server Error</h1>') },
    '/slow': { body: html('Slow', '<h1>Slow</h1>'), delayMs: 1500 },
  });
  dir = mkdtempSync(join(tmpdir(), 'housecat-run-'));
});
afterAll(async () => app?.close());

const config = () => `version: 1
defaults: { retries: 0, timeout: 20 }
tests:
  - name: Login page
    id: login
    url: ${app.url}/login?from=ci
    expect: { status: 200, text: ["Sign in"] }
  - name: Dashboard
    id: dashboard
    url: ${app.url}/dashboard
    expect: { text: ["Welcome back"] }
`;

describe('housecat run', () => {
  it('exits 0, prints the table and writes the JSON report when every test passes', async () => {
    const file = writeConfig('ok.yml', config());
    const json = join(dir, 'out/ok.json');
    const result = await runCli(['run', '--config', file, '--repo', 'acme/shop', '--json', json], {
      env: env(),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Login page\s+PASS\s+\S+ m?s\s+/m);
    expect(result.stdout).toMatch(/^Dashboard\s+PASS/m);
    expect(result.stdout).toMatch(/^2 passed in /m);
    // Not a TTY: one line per step event, prefixed with the test's name.
    expect(result.stdout).toMatch(/^\[Login page\] .*check/m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.summary).toEqual({ total: 2, passed: 2, failed: 0, error: 0, skipped: 0 });
    expect(report.results[0]).toMatchObject({
      id: 'acme--shop--login',
      name: 'Login page',
      status: 'passed',
    });
    expect(report.results[0].steps.length).toBeGreaterThan(0);
    expect(typeof report.results[0].reason).toBe('string');
    expect(report.results[0].durationMs).toBeGreaterThan(0);
  });

  it('exits 1 when a test fails and writes JUnit that parses back with the failure and steps', async () => {
    const file = writeConfig(
      'fail.yml',
      `${config()}  - name: Orders & <Returns>
    id: orders
    url: ${app.url}/broken
    expect: { status: 200 }
`,
    );
    const junit = join(dir, 'junit.xml');
    const result = await runCli(['run', '--config', file, '--repo', 'acme/shop', '--junit', junit], {
      env: env(),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Orders & <Returns>\s+FAIL\s+.*500/m);
    const parsed = await parseJUnit(readFileSync(junit, 'utf8'));
    expect(parsed.parseError).toBeNull();
    expect(parsed.suites[0]).toMatchObject({
      name: 'HouseCat',
      tests: '3',
      failures: '1',
      errors: '0',
      skipped: '0',
    });
    const orders = parsed.cases.find((c) => c.name === 'Orders & <Returns>');
    expect(orders?.classname).toBe('housecat.acme/shop');
    expect(orders?.failure).toMatch(/500/);
    expect(orders?.failureText).toMatch(/Failed step: check:status/);
    expect(orders?.out).toMatch(/\[FAILED\] check:status/);
    expect(parsed.cases.filter((c) => c.failure === null)).toHaveLength(2);
  });

  it('runs only the tests named with --only and refuses unknown ids with exit 2 and the valid ids', async () => {
    const file = writeConfig('only.yml', config());
    const json = join(dir, 'only.json');
    const only = await runCli(
      ['run', '--config', file, '--repo', 'acme/shop', '--only', 'dashboard', '--json', json],
      {
        env: env(),
      },
    );
    expect(only.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.results.map((r: { id: string }) => r.id)).toEqual(['acme--shop--dashboard']);

    const unknown = await runCli(['run', '--config', file, '--repo', 'acme/shop', '--only', 'dashbord'], {
      env: env(),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown test id dashbord. Valid ids: login, dashboard');
  });

  it('runs against --base-url, keeping each test’s path and query', async () => {
    const file = writeConfig(
      'prod.yml',
      `version: 1
defaults: { retries: 0, timeout: 20 }
tests:
  - name: Login page
    id: login
    url: https://shop.example.com/login?from=prod
    allowed_hosts: [shop.example.com]
    expect: { status: 200, text: ["Sign in"] }
`,
    );
    const before = app.requests.length;
    const json = join(dir, 'base.json');
    const result = await runCli(
      ['run', '--config', file, '--repo', 'acme/shop', '--base-url', app.url, '--json', json],
      {
        env: env(),
      },
    );
    expect(result.code).toBe(0);
    expect(app.requests.slice(before).map((r) => r.url)).toContain('/login?from=prod');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.baseUrl).toBe(app.url);
    expect(report.results[0].url).toBe(`${app.url}/login?from=prod`);

    const bad = await runCli(['run', '--config', file, '--base-url', `${app.url}/sub`], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('only scheme, host and port are replaced');
  });

  it('exits 2 before any test starts, listing every environment problem with its fix, and skips with --skip-without-key', async () => {
    const file = writeConfig(
      'goal.yml',
      `version: 1
defaults: { retries: 0, timeout: 20 }
tests:
  - name: Log in
    id: login-goal
    url: ${app.url}/login
    goal: Log in and check the dashboard says Welcome back
`,
    );
    const args = ['run', '--config', file, '--repo', 'acme/shop'];
    const before = app.requests.length;
    const plain = await runCli(args, { env: env() });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('ANTHROPIC_API_KEY is not set, and 1 goal test(s) need it: login-goal');
    expect(plain.stderr).toContain('--skip-without-key');
    const { HOUSECAT_ALLOW_PRIVATE_NETWORK: _p, ...publicOnly } = env();
    const both = await runCli(args, { env: publicOnly });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('2 problems in the environment');
    expect(both.stderr).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK=1');
    expect(app.requests.length).toBe(before);
    const skipped = await runCli([...args, '--skip-without-key'], { env: env() });
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^Log in\s+SKIP\s+.*ANTHROPIC_API_KEY is not set/m);
  });

  it('exits 2 before any test starts when a secret a test names is not set, listed with the other problems', async () => {
    const file = writeConfig(
      'secret.yml',
      `version: 1
defaults: { retries: 2, timeout: 20 }
tests:
  - name: Log in
    id: login-secret
    url: ${app.url}/login
    goal: Log in with LOGIN_PASSWORD and check the dashboard says Welcome back
    secrets: [LOGIN_PASSWORD]
    expect: { status: 200 }
`,
    );
    const args = ['run', '--config', file, '--repo', 'acme/shop'];
    const before = app.requests.length;
    // The key is there (never used: nothing runs), the secret is not.
    const keyed = await runCli(args, { env: { ...env(), ANTHROPIC_API_KEY: 'sk-ant-unused' } });
    expect(keyed.code).toBe(2);
    expect(keyed.stderr).toContain('1 problem in the environment');
    expect(keyed.stderr).toContain(
      'the secret LOGIN_PASSWORD is not set, and 1 test(s) name it under `secrets:`: login-secret. Set the environment variable LOGIN_PASSWORD',
    );
    const neither = await runCli(args, { env: env() });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('2 problems in the environment');
    expect(neither.stderr).toContain('ANTHROPIC_API_KEY is not set');
    expect(neither.stderr).toContain('the secret LOGIN_PASSWORD is not set');
    expect(app.requests.length).toBe(before);
  });

  it('exits 2 for bad flags and a missing definitions file, and shows its help', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: housecat run [--config PATH] [--repo OWNER/NAME] [--base-url URL]');
    const concurrency = await runCli(['run', '--concurrency', 'lots']);
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr).toContain('--concurrency must be a whole number from 1 to 32');
    const missing = await runCli(['run', '--config', join(dir, 'nope.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(dir, 'nope.yml'));
  });

  it('stops on Ctrl-C: prints the table, marks the rest skipped, closes Chromium and exits 130', async () => {
    const slow = (n: number) =>
      `  - name: Slow ${n}\n    url: ${app.url}/slow?n=${n}\n    expect: { status: 200 }\n`;
    const file = writeConfig(
      'slow.yml',
      `version: 1\ndefaults: { retries: 0, timeout: 20 }\ntests:\n${[1, 2, 3, 4].map(slow).join('')}`,
    );
    const json = join(dir, 'interrupted.json');
    const child = spawn(
      process.execPath,
      [housecatBin, 'run', '--config', file, '--repo', 'acme/shop', '--concurrency', '1', '--json', json],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env() },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so the SIGINT below reaches the CLI and Chromium alike, as Ctrl-C does.
        detached: true,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupt once the browser runs and the first (slow) page is loading, as a user would.
    let browsers: number[] = [];
    for (let i = 0; i < 300 && (browsers.length === 0 || !stdout.includes('[Slow 1] started')); i++) {
      await new Promise((r) => setTimeout(r, 50));
      browsers = descendants(child.pid as number);
    }
    expect(browsers.length, `no browser process under the CLI\n${stdout}\n${stderr}`).toBeGreaterThan(0);
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await closed;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(stdout).toMatch(/^Slow 4\s+SKIP/m);
    expect(stdout).toMatch(/skipped in /);
    expect(browsers.filter(isAlive), 'Chromium processes left running').toEqual([]);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.results.slice(1).map((r: { status: string }) => r.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(report.results[1].reason).toBe('not run: the run was cancelled');
  });
});
