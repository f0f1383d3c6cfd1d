/**
 * Only scheduled and manual runs move incident state: failing `housecat run` runs from a laptop
 * (REDIS_URL set, so they are recorded) followed by one failing scheduled run open no incident,
 * although failure_threshold is 2.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PUBLIC_URL, startHarness } from '../bot/harness.js';
import { runCli, useBuiltCli } from '../support/cli.js';
import { signQStashRequest } from '../support/qstash-server.js';
import { testRedisUrl } from '../support/redis.js';
import { requireChromium } from '../support/system.js';
import { makeTest } from '../support/test-definitions.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

describe('run sources and incidents', () => {
  let h: Harness;
  let broken: Server;
  let url: string;
  beforeAll(async () => {
    requireChromium();
    h = await startHarness({ incidentWaitMs: 5000 });
    broken = createServer((_req, res) =>
      res.writeHead(500, { 'content-type': 'text/html' }).end('<p>Error</p>'),
    );
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', () => r()));
    const address = broken.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    await h?.close();
    broken?.close();
  });

  it('opens no incident when failing CLI runs precede one failing scheduled run', {
    timeout: 90_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'housecat-source-'));
    const config = join(dir, 'housecat.yml');
    writeFileSync(
      config,
      `version: 1\ntests:\n  - name: Checkout\n    id: checkout\n    url: ${url}\n    agent: checks\n    failure_threshold: 2\n    retries: 0\n    timeout: 20\n    expect:\n      status: 200\n`,
    );
    const env = {
      REDIS_URL: testRedisUrl(),
      HOUSECAT_REDIS_PREFIX: h.prefix,
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
      HOUSECAT_CHROMIUM: process.env.HOUSECAT_CHROMIUM ?? '/usr/bin/chromium',
    };
    for (let i = 0; i < 2; i++) {
      const cli = await runCli(['run', '--config', config, '--repo', 'acme/shop'], {
        env,
        timeoutMs: 60_000,
      });
      expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    }
    const test = makeTest('checkout', { url, failureThreshold: 2 });
    const recorded = await h.store.getResults(test.id, { limit: 10 });
    expect(recorded.map((r) => [r.status, r.source?.kind])).toEqual([
      ['failed', 'cli'],
      ['failed', 'cli'],
    ]);

    await h.addTest(test);
    h.agent.verdict.set(test.id, { status: 'failed', reason: 'HTTP 500' });
    const path = `/api/callback/${test.id}`;
    const body = '{}';
    const res = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-message-id': `msg_${randomUUID()}`,
        'upstash-signature': signQStashRequest({
          signingKey: h.signing.current,
          url: `${PUBLIC_URL}${path}`,
          body,
        }),
      },
      body,
    });
    const json = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(json)).toBe(200);
    expect(json.status).toBe('failed');
    expect(json.incident).toBe('none');
    expect(await h.store.getIncident(test.id)).toBeNull();
  });
});
