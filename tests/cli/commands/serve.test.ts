import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { uniquePrefix } from '../../support/redis.js';
import { serveEnv } from '../../support/serve-env.js';

function io(env: NodeJS.ProcessEnv, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: process.cwd(),
    isTTY: false,
    ...(signal ? { signal } : {}),
  };
  return { io: value, out, err };
}

describe('housecat serve', () => {
  let gh: GitHubServer;
  beforeAll(async () => {
    gh = await startGitHubServer();
  });
  afterAll(() => gh.close());

  it('prints its help', async () => {
    const { io: cli, out } = io({});
    expect(await main(['serve', '--help'], cli)).toBe(0);
    expect(out.join('\n')).toContain('Usage: housecat serve [--port N]');
  });

  it('names every missing setting at once, Redis included, and exits 2', async () => {
    // An App id but no key: with neither, serve offers the App's setup page instead
    // (tests/cli/commands/serve-setup.test.ts).
    const { io: cli, err } = io({ APP_ID: '12345' });
    expect(await main(['serve'], cli)).toBe(2);
    const text = err.join('\n');
    for (const name of [
      'UPSTASH_REDIS_REST_URL',
      'REDIS_URL',
      'PRIVATE_KEY',
      'WEBHOOK_SECRET',
      'HOUSECAT_PUBLIC_URL',
      'QSTASH_CURRENT_SIGNING_KEY',
      'QSTASH_NEXT_SIGNING_KEY',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('serves /healthz on the port it prints and stops cleanly on Ctrl-C', async () => {
    const controller = new AbortController();
    const { io: cli, out } = io(
      {
        ...serveEnv(gh, uniquePrefix('serve'), { ghe: true }),
      },
      controller.signal,
    );
    const exit = main(['serve', '--port', '0', '--host', '127.0.0.1'], cli);
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = out.join('\n').match(/listening on (http:\/\/[^\s"]+)/)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(out.join('\n')).toContain('https://housecat.example.test/api/callback/{test-id}');
    controller.abort();
    expect(await exit).toBe(0);
  });

  it('says at start-up, once, that no browser was found, naming the fix', async () => {
    const controller = new AbortController();
    const {
      io: cli,
      out,
      err,
    } = io(
      {
        ...serveEnv(gh, uniquePrefix('serve'), { ghe: true }),
        HOUSECAT_CHROMIUM: '/nonexistent/chromium',
      },
      controller.signal,
    );
    const exit = main(['serve', '--port', '0', '--host', '127.0.0.1'], cli);
    for (let i = 0; i < 100 && !out.join('\n').includes('listening on'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    expect(await exit).toBe(0);
    // The server's log: JSON lines on stdout (no terminal here), nothing on stderr.
    expect(err).toEqual([]);
    const said = out
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .filter((record) => record.msg.includes('HOUSECAT_CHROMIUM is set to "/nonexistent/chromium"'));
    expect(said).toHaveLength(1);
    expect(said[0]?.level).toBe('error');
    expect(said[0]?.msg).toContain('recorded as an error naming this fix');
  });
});
