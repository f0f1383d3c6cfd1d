/**
 * `housecat serve` as users start it serves the public status routes from the store it configures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpStore } from '../../../src/adapters/store/index.js';
import { statusStoreOf } from '../../../src/adapters/store/status-store.js';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { serveEnv } from '../../support/serve-env.js';
import { makeTest } from '../../support/test-definitions.js';

describe('housecat serve: status routes', () => {
  let gh: GitHubServer;
  beforeAll(async () => {
    gh = await startGitHubServer();
  });
  afterAll(() => gh.close());

  it('serves a public repository’s status page, 404 for a private one, and the OpenAPI document', async () => {
    const prefix = uniquePrefix('serve-status');
    const store = createTcpStore({ url: testRedisUrl(), prefix });
    const test = makeTest('login-flow', { name: 'Login flow' });
    await store.applySync('acme/shop', {
      upsert: [{ definition: test, contentHash: 'h', updatedAt: 1 }],
      remove: [],
    });
    await statusStoreOf(store).saveStatusSettings('acme/shop', { public: true, showGoals: false });
    await store.recordRun(
      {
        runId: 'run-1',
        testId: test.id,
        status: 'passed',
        reason: 'ok',
        agent: 'checks',
        startedAt: Date.now(),
        durationMs: 900,
        responseMs: 140,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      },
      [],
    );
    await store.close();

    const controller = new AbortController();
    const out: string[] = [];
    const cli: CliIo = {
      stdout: (t) => out.push(t),
      stderr: () => {},
      env: {
        ...serveEnv(gh, prefix, { ghe: true }),
      },
      cwd: process.cwd(),
      isTTY: false,
      signal: controller.signal,
    };
    const exit = main(['serve', '--port', '0', '--host', '127.0.0.1'], cli);
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = out.join('\n').match(/listening on (http:\/\/[^\s"]+)/)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, out.join('\n')).toBeDefined();
    const page = await fetch(`${url}/status/acme/shop`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<h3 id="test-login-flow-name">Login flow</h3>');
    expect(html).toContain('100%');
    expect((await fetch(`${url}/status/acme/private-one`)).status).toBe(404);
    const openapi = await fetch(`${url}/api/v1/openapi.json`);
    expect(((await openapi.json()) as { servers: { url: string }[] }).servers).toEqual([
      { url: 'https://housecat.example.test' },
    ]);
    controller.abort();
    expect(await exit).toBe(0);
  });
});
