/**
 * `housecat validate` and `housecat sync` warn about test targets on private or loopback addresses,
 * which the app refuses at run time, naming the file, line and field; the exit status stays 0, and
 * HOUSECAT_ALLOW_PRIVATE_NETWORK=1 (local development) silences the warning.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from '../support/cli.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const SYNC_DRY_RUN = [
  'sync',
  '--dry-run',
  '--callback-url',
  'https://cat.example.com',
  '--config',
  'housecat.yml',
  '--repo',
  'acme/shop',
];

const FILE = `tests:
  - name: Local
    url: http://127.0.0.1:3000/login
    expect:
      status: 200
  - name: Metadata
    url: http://2852039166/latest
    allowed_hosts: [cdn.myapp.com, "localhost:8080"]
    expect:
      status: 200
  - name: Public
    url: https://myapp.com
    allowed_hosts: ["*.myapp.com"]
    expect:
      status: 200
`;

const CONSEQUENCE = 'the app refuses these unless HOUSECAT_ALLOW_PRIVATE_NETWORK=1';
const EXPECTED = [
  'warning: housecat.yml:3:10: tests[0].url: "http://127.0.0.1:3000/login" points at a private or loopback address — loopback (127.0.0.0/8); ',
  'warning: housecat.yml:7:10: tests[1].url: "http://2852039166/latest" points at a private or loopback address — link-local / cloud metadata (169.254.0.0/16); ',
  'warning: housecat.yml:8:36: tests[1].allowed_hosts[1]: "localhost:8080" points at a private or loopback address — reserved name "localhost"',
];

describe('the private-address warning of validate and sync', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'housecat-private-'));
    writeFileSync(join(dir, 'housecat.yml'), FILE);
  });

  function warnings(stderr: string): string[] {
    return stderr.split('\n').filter((l) => l.startsWith('warning:'));
  }

  function expectWarnings(stderr: string): void {
    const lines = warnings(stderr);
    expect(lines).toHaveLength(EXPECTED.length);
    EXPECTED.forEach((start, i) => {
      expect(lines[i]).toContain(start);
      expect(lines[i]).toContain(CONSEQUENCE);
    });
  }

  it('validate warns with file, line and field for each private target and still exits 0', async () => {
    const r = await runCli(['validate', '--config', 'housecat.yml', '--repo', 'acme/shop'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 tests OK');
    expectWarnings(r.stderr);
  });

  it('sync warns the same way and still exits 0', async () => {
    const r = await runCli(SYNC_DRY_RUN, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was written.');
    expectWarnings(r.stderr);
  });

  it('says nothing when HOUSECAT_ALLOW_PRIVATE_NETWORK=1 is set', async () => {
    const env = { HOUSECAT_ALLOW_PRIVATE_NETWORK: '1' };
    const validate = await runCli(['validate', '--config', 'housecat.yml', '--repo', 'acme/shop'], {
      cwd: dir,
      env,
    });
    expect(validate.code).toBe(0);
    expect(validate.stderr).toBe('');
    const sync = await runCli(SYNC_DRY_RUN, { cwd: dir, env });
    expect(sync.code).toBe(0);
    expect(sync.stderr).toBe('');
  });

  it('warns when HOUSECAT_ALLOW_PRIVATE_NETWORK is 0', async () => {
    const r = await runCli(['validate', '--config', 'housecat.yml', '--repo', 'acme/shop'], {
      cwd: dir,
      env: { HOUSECAT_ALLOW_PRIVATE_NETWORK: '0' },
    });
    expect(r.code).toBe(0);
    expectWarnings(r.stderr);
  });
});
