/**
 * `housecat up`'s refusals, each before anything starts: no store and no redis-server (exit 2 with
 * the install command), a non-loopback address with neither sign-in nor --no-auth (exit 2), an
 * invalid definitions file (exit 1 with its lines). And the local-access mode of the dashboard can
 * be built only by `up`'s wiring, never by the app's `serve`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.js';

const FILE = `version: 1
tests:
  - name: Home
    url: http://127.0.0.1:9/
    schedule: "* * * * *"
    expect: { status: 200 }
`;

describe('housecat up refuses to start', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'housecat-up-cli-'));
    writeFileSync(join(folder, 'housecat.yml'), FILE);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('without a store or a redis-server: exit 2 with the install command', async () => {
    const r = await runCli(['up', '--config', 'housecat.yml', '--port', '0'], {
      cwd: folder,
      env: { PATH: '/nonexistent' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no redis-server on PATH');
    expect(r.stderr).toContain('sudo apt-get install redis-server');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('on a non-loopback address without sign-in or --no-auth: exit 2 naming both', async () => {
    const r = await runCli(['up', '--config', 'housecat.yml', '--host', '0.0.0.0'], { cwd: folder });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET');
    expect(r.stderr).toContain('--no-auth');
  });

  it('with an invalid file: exit 1 with each problem at its line', async () => {
    writeFileSync(join(folder, 'bad.yml'), FILE.replace('"* * * * *"', '"often"'));
    const r = await runCli(['up', '--config', 'bad.yml'], { cwd: folder });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yml:5:\d+: tests\[0\]\.schedule/);
  });
});

describe("the dashboard's local-access mode", () => {
  it('is built only by the wiring of housecat up, never by serve', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const users = files(join(repoRoot, 'src'))
      .filter((f) => /createLocalAccess|localOperator/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(join(repoRoot, 'src'), f))
      .sort();
    // The port (its definition), the routes that honour it, the shared assembly that passes an
    // operator on (dashboardOver), and up's dashboard: nothing under serve.
    expect(users).toEqual([
      'app/dashboard/local-access.ts',
      'bot/dashboard/auth-routes.ts',
      'bot/dashboard/context.ts',
      'bot/dashboard/index.ts',
      'bot/dashboard/routes.ts',
      'bot/up/local-dashboard.ts',
    ]);
    // Only up's wiring makes one (beside its definition).
    const makers = files(join(repoRoot, 'src')).filter((f) =>
      /createLocalAccess\(/.test(readFileSync(f, 'utf8')),
    );
    expect(makers.map((f) => relative(join(repoRoot, 'src'), f))).toEqual([
      'app/dashboard/local-access.ts',
      'bot/up/local-dashboard.ts',
    ]);
  });
});
