/**
 * `npm run demo` — the README's first command — run as a user runs it (the compiled bin, real
 * Chromium, the demo app on free localhost ports).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { loginPolicy, startAnthropicServer } from '../support/anthropic-server.js';
import { repoRoot, useBuiltCli } from '../support/cli.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { requireChromium } from '../support/system.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

function runDemo(env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'examples/demo/run-demo.mjs')], {
      cwd: repoRoot,
      // The broken app's missing text costs the checks' text wait (default 5 s); its pages render
      // their text with the document, so half a second is plenty.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HOUSECAT_TEXT_WAIT_MS: '500', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('npm run demo', () => {
  it('shows the healthy app passing, the broken one failing with the reason, goals skipped without a key, and exits 0', async () => {
    const { code, out } = await runDemo({ HOUSECAT_CHROMIUM: requireChromium() });
    expect(out).toMatch(/^Login page\s+PASS/m);
    expect(out).toMatch(/^Log in and see the dashboard\s+SKIP\s+.*ANTHROPIC_API_KEY is not set/m);
    expect(out).toMatch(/^Login page\s+FAIL\s+.*expected status 200, got 500/m);
    // A report path the demo prints is a file the reader can open afterwards.
    const reports = [...out.matchAll(/^JSON report: (.+)$/gm)].map((m) => m[1] as string);
    expect(reports).toHaveLength(2);
    for (const file of reports) expect(existsSync(resolve(repoRoot, file)), file).toBe(true);
    // Its last advice names a command that works before any release, not an unpublished package.
    expect(out).not.toContain('npx @housecat-dev/cli');
    // Every row of the broken app's table names its test: a result whose id was mangled (a secret
    // that is also part of the id, redacted) falls back to the raw id there.
    expect(out).toMatch(/^Log in and see the dashboard\s+FAIL\s+.*expected status 200, got 500/m);
    expect(out).toMatch(/^Home redirects to login\s+FAIL/m);
    expect(out).toContain('Demo behaved as designed:');
    expect(out).toContain('healthy app → 2 passed, 2 skipped');
    expect(code).toBe(0);
  });

  it('never writes into a store configured in the environment', async () => {
    // The suite's real Redis under a prefix of this test alone: whatever the demo wrote would be there.
    const prefix = uniquePrefix('demo');
    const { code, out } = await runDemo({
      HOUSECAT_CHROMIUM: requireChromium(),
      REDIS_URL: testRedisUrl(),
      HOUSECAT_REDIS_PREFIX: prefix,
    });
    expect(code, out).toBe(0);
    expect(out).toContain('Demo behaved as designed:');
    const redis = createClient({ url: testRedisUrl() });
    await redis.connect();
    try {
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it('runs the goal tests with Claude when ANTHROPIC_API_KEY is set (Anthropic stand-in) and they pass', async () => {
    const anthropic = await startAnthropicServer({
      responder: loginPolicy({ username: 'demo', secretName: 'DEMO_PASSWORD', expectText: 'open orders' }),
    });
    try {
      const { code, out } = await runDemo({
        HOUSECAT_CHROMIUM: requireChromium(),
        ANTHROPIC_API_KEY: anthropic.apiKey,
        ANTHROPIC_BASE_URL: anthropic.url,
      });
      expect(out).toContain('ANTHROPIC_API_KEY is set: goal tests run with Claude.');
      expect(out).toMatch(/^Log in and see the dashboard\s+PASS/m);
      expect(out).toMatch(/^Dashboard lists the open orders\s+PASS/m);
      expect(out).toContain('healthy app → 4 passed, 0 skipped');
      expect(code).toBe(0);
      expect(anthropic.calls.length).toBeGreaterThan(0);
      // The demo password is typed by HouseCat, never shown to the model.
      expect(anthropic.calls.some((c) => c.raw.includes('housecat'))).toBe(false);
    } finally {
      await anthropic.close();
    }
  });
});
