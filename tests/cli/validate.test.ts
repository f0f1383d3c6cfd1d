import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from '../support/cli.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const invalid = (name: string) => `tests/fixtures/definitions/invalid/${name}`;

describe('housecat validate', () => {
  it('prints a one-line summary and exits 0 when the file is valid', async () => {
    const result = await runCli(['validate', '--config', 'examples/housecat.yml'], {
      env: { DEMO_PASSWORD: 'set' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('4 tests OK (3 scheduled, 3 with an AI goal, 1 checks only)');
    expect(result.code).toBe(0);
  });

  it('warns, without failing, about a secret a test names that this environment does not set', async () => {
    const result = await runCli(['validate', '--config', 'examples/housecat.yml']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe(
      "warning: the secret DEMO_PASSWORD (named under `secrets:` by login-flow) is not set in this environment: `housecat run` here would stop before any test (exit 2). Set it where the tests run (in CI, the step's env from a repository secret; for scheduled runs, the app's environment).",
    );
    expect(result.stdout.trim()).toBe('4 tests OK (3 scheduled, 3 with an AI goal, 1 checks only)');
  });

  it('prints every problem as FILE:LINE:COL: PATH: message and exits 1 when the file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-validate-'));
    const file = join(dir, 'housecat.yml');
    writeFileSync(file, 'tests:\n  - name: A\n    url: ftp://x\n    goal: g\n    schedule: "61 * * * *"\n');
    const result = await runCli(['validate', '--config', file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('housecat.yml:3:10: tests[0].url: "ftp:" URLs are not allowed');
    expect(result.stderr).toContain(
      'housecat.yml:5:15: tests[0].schedule: "61 * * * *" — minute must be 0-59',
    );
    expect(result.stderr).toContain('2 problems found');
  });

  it('reports a file over 1 MiB as a problem (exit 1) without parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-big-'));
    const file = join(dir, 'housecat.yml');
    writeFileSync(file, `# ${'x'.repeat(1024 * 1024)}\ntests: []\n`);
    const result = await runCli(['validate', '--config', file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('housecat.yml:1:1: the file is 1.0 MiB; the limit is 1 MiB');
  });

  it('uses .github/housecat.yml by default and names the path it looked at when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-empty-'));
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(dir, '.github/housecat.yml'));
  });

  it('exits 2 for an unknown flag and a flag without its value', async () => {
    const unknown = await runCli(['validate', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown flag --bogus');
    const missing = await runCli(['validate', '--config']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config/);
  });

  it('shows help for the command and for housecat itself', async () => {
    const own = await runCli(['validate', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Usage: housecat validate [--config PATH]');
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n\s+validate/);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    const wrong = await runCli(['valdate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('unknown command "valdate"');
  });

  it('lists ids derived from --repo with --ids', async () => {
    const result = await runCli([
      'validate',
      '--config',
      invalid('../valid/minimal.yml'),
      '--repo',
      'Acme/Shop',
      '--ids',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('acme--shop--home');
    const bad = await runCli(['validate', '--config', invalid('../valid/minimal.yml'), '--repo', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--repo must be OWNER/NAME');
  });

  it('aligns the columns of --ids (id, schedule, agent, name)', async () => {
    const result = await runCli([
      'validate',
      '--config',
      'examples/housecat.yml',
      '--repo',
      'acme/shop',
      '--ids',
    ]);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('  acme--shop--'));
    expect(rows).toHaveLength(4);
    // Every column starts at the same offset in every row.
    const starts = (row: string) => [...row.matchAll(/ {2}(?=\S)/g)].map((m) => m.index);
    const first = starts(rows[0] as string).slice(0, 4);
    for (const row of rows) expect(starts(row).slice(0, 4)).toEqual(first);
  });
});
