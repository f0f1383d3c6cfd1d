import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from '../support/cli.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

describe('housecat cost', () => {
  it('prints the monthly figures of examples/housecat.yml, which fit every Free plan', async () => {
    const result = await runCli(['cost', '--config', 'examples/housecat.yml', '--repo', 'acme/shop']);
    expect(result.code).toBe(0);
    // 3 scheduled tests: login-flow every 5 min on weekdays (goal), pricing (checks) and search (goal)
    // every 15 min; the watchdog adds 288 QStash messages a day.
    expect(result.stdout).toContain(
      'Cost of examples/housecat.yml: 3 scheduled tests (1 more run only as PR checks',
    );
    expect(result.stdout).toMatch(/scheduled runs +398 +11,928/);
    expect(result.stdout).toMatch(/QStash messages \(runs \+ watchdog 288\/day\) +686 +20,568/);
    // The watchdog reads the 4 stored tests every 5 minutes: 8,640 × (10 + 4 × 3) commands a month;
    // the runs cost 3 (checks) or 5 (goal) commands each.
    expect(result.stdout).toMatch(/Redis commands \(runs \+ watchdog 190,080\/month\) +8,132 +243,960/);
    expect(result.stdout).toContain('Free (500,000 commands/month): fits (49% used)');
    // defaults.spread is on in the example: the row shows the minute this test really runs at.
    expect(result.stdout).toMatch(/acme--shop--pricing-page +\d+-\d+\/15 \* \* \* \* +2,880 +3 +8,640/);
    expect(result.stderr).toBe('');
  });

  it('warns, on stderr, when a file outgrows the Free plans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-cost-big-'));
    const file = join(dir, 'housecat.yml');
    const tests = Array.from(
      { length: 100 },
      (_, i) =>
        `  - name: Page ${i}\n    url: https://a.example/${i}\n    expect: { status: 200 }\n    schedule: "*/5 * * * *"\n`,
    ).join('');
    writeFileSync(file, `tests:\n${tests}`);
    const result = await runCli(['cost', '--config', file, '--repo', 'acme/shop'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Pay as You Go ($0.20 per 100K): $10.54/month');
    expect(result.stderr).toContain(
      'warning: Upstash Redis Free includes 500,000 commands a month; this file needs about 5,270,400, so the plan runs out after about 2 days',
    );
    expect(result.stderr).toContain('warning: QStash Free allows 10 active schedules; this file needs 101');
  });

  it('prints no warning when every Free plan is enough', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-cost-'));
    const file = join(dir, 'housecat.yml');
    writeFileSync(
      file,
      'tests:\n  - name: Home\n    url: https://a.example\n    expect: { status: 200 }\n    schedule: "H * * * *"\n',
    );
    const result = await runCli(['cost', '--config', file, '--repo', 'acme/shop'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Redis commands \(runs \+ watchdog 112,320\/month\) +3,816 +114,480/);
    expect(result.stdout).toContain('Free (500,000 commands/month): fits (23% used)');
  });

  it('exits 1 with located problems for an invalid file, and 2 for a bad flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-cost-bad-'));
    const file = join(dir, 'housecat.yml');
    writeFileSync(
      file,
      'tests:\n  - name: A\n    url: https://a.example\n    goal: g\n    schedule: "H/99 * * * *"\n',
    );
    const invalid = await runCli(['cost', '--config', file, '--repo', 'acme/shop'], { cwd: dir });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      'housecat.yml:5:15: tests[0].schedule: "H/99 * * * *" — minute "H/99": the step 99',
    );
    const usage = await runCli(['cost', '--bogus']);
    expect(usage.code).toBe(2);
    const help = await runCli(['cost', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: housecat cost [--config PATH]');
  });
});
