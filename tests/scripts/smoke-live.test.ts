/**
 * `npm run smoke:live` needs real accounts, so it never runs in `npm test`; what can be checked here
 * is that without them it runs nothing, names every variable it needs with its purpose, and exits 2.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED } from '../../scripts/smoke-live-env.js';
import { startHarness } from '../bot/harness.js';
import { agentEnv, startAnthropicServer, verdict } from '../support/anthropic-server.js';
import { repoRoot } from '../support/cli.js';
import { startGitHubServer } from '../support/github-server.js';
import { startQStashServer } from '../support/qstash-server.js';
import { testRedisUrl } from '../support/redis.js';
import { startStaticServer } from '../support/static-server.js';
import { requireChromium } from '../support/system.js';
import { startUpstashBridge } from '../support/upstash-bridge.js';

function smoke(env: Record<string, string | undefined>) {
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

describe('npm run smoke:live against the local stand-ins', () => {
  it('closes the whole loop: sync, a signed delivery the app records, a goal run, an issue opened and closed', async () => {
    const chromium = requireChromium();
    const qstash = await startQStashServer();
    const bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
    const gh = await startGitHubServer({ installations: [{ id: 11, repos: ['acme/shop'] }] });
    const h = await startHarness({
      gh,
      localPublicUrl: true,
      signing: { current: qstash.currentSigningKey, next: qstash.nextSigningKey },
    });
    const llm = await startAnthropicServer({
      responder: [verdict(true, 'The page shows the heading "Smoke".', ['Smoke'])],
    });
    const page = await startStaticServer({ '/': '<html><body><h1>Smoke</h1></body></html>' });
    try {
      const r = await smoke({
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        HOUSECAT_REDIS_PREFIX: h.prefix,
        QSTASH_TOKEN: qstash.token,
        QSTASH_URL: qstash.url,
        HOUSECAT_PUBLIC_URL: h.publicUrl,
        ...agentEnv(llm, chromium),
        GITHUB_TOKEN: gh.createToken(['acme/shop']),
        GITHUB_API_URL: gh.url,
        HOUSECAT_SMOKE_REPO: 'acme/shop',
        HOUSECAT_SMOKE_PAGE: `${page.url}/`,
        HOUSECAT_SMOKE_WAIT_S: '60',
      });
      expect(r.stdout).toContain('✓ sync to Upstash Redis and QStash: Redis has acme--shop--housecat-smoke;');
      expect(r.stdout).toContain('✓ signed QStash delivery to the app: message msg_');
      expect(r.stdout).toContain('the app verified it and recorded a passed run');
      expect(r.stdout).toContain(
        `✓ Claude goal test on a public page: Claude reached the goal on ${page.url}/`,
      );
      expect(r.stdout).toMatch(
        /✓ GitHub issue opened and closed: issue #\d+ opened and closed on acme\/shop/,
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // What the services saw: the delivery was signed (the app accepted it), the goal reached the model,
      // the issue is closed, and nothing of the smoke test is left behind.
      expect(h.agent.calls.map((c) => c.test.id)).toEqual(['acme--shop--housecat-smoke']);
      expect(llm.calls.length).toBeGreaterThan(0);
      expect(gh.issuesOf('acme/shop').map((i) => i.state)).toEqual(['closed']);
      // The watchdog's schedule is the app's (sync keeps one per app URL): the smoke test leaves it.
      expect([...qstash.schedules.keys()]).toEqual(['housecat-watchdog']);
      expect(await h.store.getTest('acme--shop--housecat-smoke')).toBeNull();
    } finally {
      await Promise.all([h.close(), qstash.close(), bridge.close(), llm.close(), page.close()]);
      await gh.close();
    }
  }, 180_000);
});
