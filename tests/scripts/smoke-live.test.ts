/**
 * `npm run smoke:live` needs real accounts, so it never runs in `npm test`; what can be checked here
 * is that without them it runs nothing, names every variable it needs with its purpose, and exits 2.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED } from '../../scripts/smoke-live-env.js';
import { repoRoot } from '../support/cli.js';

function smoke(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/smoke-live.ts')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run smoke:live', () => {
  it('exits 2 without credentials, listing every variable it needs and what each is for', async () => {
    const r = await smoke({});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('needs 7 more variable(s):');
    for (const name of [
      'UPSTASH_REDIS_REST_URL',
      'UPSTASH_REDIS_REST_TOKEN',
      'QSTASH_TOKEN',
      'HOUSECAT_PUBLIC_URL',
      'ANTHROPIC_API_KEY',
      'GITHUB_TOKEN',
      'HOUSECAT_SMOKE_REPO',
    ]) {
      const purpose = REQUIRED.find((v) => v.name === name)?.purpose ?? '';
      expect(purpose).not.toBe('');
      expect(r.stderr).toMatch(
        new RegExp(`^  ${name} +${purpose.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
      );
    }
    expect(r.stderr).toContain('QSTASH_URL');
    expect(r.stderr).toContain('Nothing was run.');
  });

  it('names only the variables still missing, and a blank one counts as missing', async () => {
    const r = await smoke({ QSTASH_TOKEN: 'set', ANTHROPIC_API_KEY: 'set', GITHUB_TOKEN: '  ' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs 5 more variable(s):');
    expect(r.stderr).not.toMatch(/^ {2}QSTASH_TOKEN /m);
    expect(r.stderr).not.toMatch(/^ {2}ANTHROPIC_API_KEY /m);
    expect(r.stderr).toMatch(/^ {2}GITHUB_TOKEN /m);
  });

  it('is an npm script of its own and not a test file, so `npm test` never runs it', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['smoke:live']).toBe('tsx scripts/smoke-live.ts');
    expect(pkg.scripts.test).not.toContain('smoke');
  });
});
