import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_RULES } from '../../../src/core/config/run-rules.js';
import { runCli, useBuiltCli } from '../../support/cli.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

/** Writes a rule's example file into a fresh folder and returns its path. */
function exampleFile(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'housecat-rule-'));
  const file = join(dir, 'housecat.yml');
  writeFileSync(file, yaml);
  return { dir, file };
}

// Generated from the one rule set: a rule added to RUN_RULES is checked here without a new test.
describe.each(RUN_RULES.map((rule) => [rule.id, rule] as const))('run-time rule "%s"', (_id, rule) => {
  const { line, path, message } = rule.example;

  it('is reported by housecat validate with its line and field (exit 1)', async () => {
    const { dir, file } = exampleFile(rule.example.yaml);
    const result = await runCli(['validate', '--config', file, '--repo', 'acme/shop'], { cwd: dir });
    expect(result.code).toBe(1);
    const reported = result.stderr.split('\n').find((l) => l.includes(`housecat.yml:${line}:`));
    expect(reported, result.stderr).toContain(`: ${path}: `);
    expect(reported).toContain(message);
  });

  it('is refused by housecat run before any test starts, with the same line (exit 1)', async () => {
    const { dir, file } = exampleFile(rule.example.yaml);
    const result = await runCli(['run', '--config', file, '--repo', 'acme/shop'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`housecat.yml:${line}:`);
    expect(result.stderr).toContain(message);
    expect(result.stdout).not.toMatch(/passed|failed/);
  });
});
