import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, type ExitCodeRow } from '../../src/cli/exit-codes.js';
import { type CliResult, runCli, useBuiltCli } from '../support/cli.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { requireChromium } from '../support/system.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

interface Case {
  title: string;
  run(): Promise<CliResult>;
  /** Text the output (stdout + stderr) must contain. */
  says: string | RegExp;
}

let app: StaticServer;
let dir: string;
const local = (extra: Record<string, string> = {}) => ({
  HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
  // Expected text that never comes costs this wait on every failing check (default 5 s); these
  // pages render their text with the document, so half a second is plenty.
  HOUSECAT_TEXT_WAIT_MS: '500',
  HOUSECAT_CHROMIUM: requireChromium(),
  ...extra,
});
const file = (name: string, yaml: string) => {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
};
const checks = (path: string, text = 'Hello') =>
  `defaults: { retries: 0, timeout: 30 }\ntests:\n  - name: Home\n    url: ${app.url}${path}\n    expect: { text: ["${text}"] }\n`;
const invalid = 'tests:\n  - name: A\n    url: ftp://x\n    goal: g\n';

/**
 * Cases per row of the exit-code table. The type requires an entry for every row name, and the
 * test below fails for a row without cases, so a new exit code cannot go untested.
 */
const cases: Record<ExitCodeRow['name'], () => Case[]> = {
  ok: () => [
    {
      title: 'validate on a valid file',
      run: () => runCli(['validate', '--config', 'examples/housecat.yml']),
      says: '4 tests OK',
    },
    {
      title: 'run when every test passes',
      run: () =>
        runCli(['run', '--config', file('pass.yml', checks('/')), '--repo', 'a/b'], { env: local() }),
      says: '1 passed',
    },
    {
      title: 'sync --dry-run with no Redis configured (plans offline against an empty store)',
      run: () => runCli(['sync', '--dry-run', '--config', 'examples/housecat.yml', '--repo', 'acme/shop']),
      says: 'planning against an empty store',
    },
  ],
  failed: () => [
    {
      title: 'validate on an invalid file',
      run: () => runCli(['validate', '--config', file('bad.yml', invalid)]),
      says: 'bad.yml:3:10: tests[0].url',
    },
    {
      title: 'run on an invalid file',
      run: () => runCli(['run', '--config', file('bad.yml', invalid)], { env: local() }),
      says: 'bad.yml:3:10: tests[0].url',
    },
    {
      title: 'sync on an invalid file',
      run: () => runCli(['sync', '--config', file('bad.yml', invalid)]),
      says: 'bad.yml:3:10: tests[0].url',
    },
    {
      title: 'run when a test fails',
      run: () =>
        runCli(['run', '--config', file('fail.yml', checks('/', 'Goodbye')), '--repo', 'a/b'], {
          env: local(),
        }),
      says: '1 failed',
    },
  ],
  usage: () => [
    ...['validate', 'run', 'sync', 'serve'].map((command) => ({
      title: `${command} with an unknown flag`,
      run: () => runCli([command, '--bogus']),
      says: 'unknown flag --bogus',
    })),
    {
      title: 'run --only "" (it would silently run everything)',
      run: () => runCli(['run', '--only', '', '--config', file('pass.yml', checks('/'))], { env: local() }),
      says: '--only is empty',
    },
    {
      title: 'run with HOUSECAT_ALLOW_PRIVATE_NETWORK set to a word it does not know',
      run: () =>
        runCli(['run', '--config', file('pass.yml', checks('/'))], {
          env: local({ HOUSECAT_ALLOW_PRIVATE_NETWORK: 'maybe' }),
        }),
      says: 'HOUSECAT_ALLOW_PRIVATE_NETWORK is "maybe"',
    },
    {
      // With an App id but no key (with neither, serve offers the App's setup page instead:
      // tests/cli/commands/serve-setup.test.ts).
      title: 'serve without its settings',
      run: () => runCli(['serve'], { env: { APP_ID: '12345' } }),
      says: 'PRIVATE_KEY',
    },
  ],
  service: () => [
    {
      title: 'sync when Redis cannot be reached',
      run: () =>
        // A dry run: a real one would first list the missing QStash token (exit 2), and a dry run
        // still reads Redis.
        runCli(['sync', '--dry-run', '--config', 'examples/housecat.yml', '--repo', 'acme/shop'], {
          env: { REDIS_URL: 'redis://127.0.0.1:1', HOUSECAT_PUBLIC_URL: 'https://cat.example.com' },
        }),
      says: 'could not reach 127.0.0.1:1',
    },
    {
      title: 'sync when QStash cannot be reached (its retries collapsed into one line)',
      run: () =>
        runCli(['sync', '--config', 'examples/housecat.yml', '--repo', 'acme/shop'], {
          env: {
            REDIS_URL: testRedisUrl(),
            HOUSECAT_REDIS_PREFIX: uniquePrefix('exit'),
            HOUSECAT_PUBLIC_URL: 'https://cat.example.com',
            QSTASH_TOKEN: 'token',
            QSTASH_URL: 'http://127.0.0.1:1',
          },
        }),
      says: /^warning: Upstash QStash: a request failed .*\nhousecat sync: QStash: .*could not reach QStash/m,
    },
  ],
  interrupted: () => [
    {
      title: 'run interrupted with Ctrl-C',
      run: () =>
        runCli(['run', '--config', file('slow.yml', checks('/slow', 'Slow')), '--repo', 'a/b'], {
          env: local(),
          interruptWhen: '[Home] started',
        }),
      says: 'interrupted',
    },
  ],
};

beforeAll(async () => {
  requireChromium();
  app = await startStaticServer({
    '/': '<!doctype html><title>Home</title><h1>Hello</h1>',
    '/slow': { body: '<!doctype html><title>Slow</title><h1>Slow</h1>', delayMs: 5000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'housecat-exit-'));
});
afterAll(async () => app?.close());

describe.each(EXIT_CODES.map((row) => [row.code, row] as const))('exit code %i', (code, row) => {
  it(`has at least one case (${row.name}: ${row.meaning})`, () => {
    expect(cases[row.name]().length).toBeGreaterThan(0);
  });
  it.each(cases[row.name]().map((c) => [c.title, c] as const))(`is the exit code of %s`, async (_t, c) => {
    const result = await c.run();
    const output = `${result.stdout}${result.stderr}`;
    expect(result.code, output).toBe(code);
    expect(output).toMatch(typeof c.says === 'string' ? new RegExp(literal(c.says)) : c.says);
  });
});

describe('report files', () => {
  it('exits 2 with one line naming the path and cause when --junit cannot be written, leaving no temp file', async () => {
    const result = await runCli(
      ['run', '--config', file('pass.yml', checks('/')), '--repo', 'a/b', '--junit', '/proc/x.xml'],
      { env: local() },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('1 passed');
    expect(result.stderr.trim()).toMatch(
      /^housecat run: cannot write the JUnit report to \/proc\/x\.xml: .+$/,
    );
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('exits 2 naming the directory when --json points at one, leaving no temp file beside it', async () => {
    const target = join(dir, 'reports');
    mkdirSync(target, { recursive: true });
    const result = await runCli(
      ['run', '--config', file('pass.yml', checks('/')), '--repo', 'a/b', '--json', target],
      { env: local() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `housecat run: cannot write the JSON report to ${target}: it is a directory — give a file name, e.g. report.json (EISDIR)`,
    );
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(target, 'x'))).toBe(false);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
