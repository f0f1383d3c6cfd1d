/**
 * `housecat serve`'s log as a container or systemd sees it: the real bin as a child process, stdout
 * a pipe (not a terminal). Every line is one JSON object with level, time and msg, Probot's lines
 * included; expected conditions — Redis down from the start, a forged webhook signature — are logged
 * without a stack. On a terminal (LOG_FORMAT=pretty here), a readable line per event.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidentMarker } from '../../../src/core/incidents/render.js';
import { housecatBin, repoRoot, useBuiltCli } from '../../support/cli.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { webhookPayload } from '../../support/webhook-payloads.js';

// Runs the real bin, which runs the compiled lib/.
useBuiltCli();

const SECRET = 'log-test-secret';

interface Served {
  child: ChildProcess;
  lines: () => string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

describe('housecat serve logs', () => {
  let gh: GitHubServer;
  let deadRedis: string;

  beforeAll(async () => {
    gh = await startGitHubServer();
    // A port nothing listens on: Redis is down from the start.
    deadRedis = `redis://127.0.0.1:${await freePort()}`;
  });
  afterAll(() => gh.close());

  function serve(env: Record<string, string>, port = 0): Served {
    const child = spawn(
      process.execPath,
      [housecatBin, 'serve', '--port', String(port), '--host', '127.0.0.1'],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          REDIS_URL: deadRedis,
          APP_ID: String(gh.appId),
          PRIVATE_KEY: gh.privateKey.replace(/\n/g, '\\n'),
          WEBHOOK_SECRET: SECRET,
          HOUSECAT_PUBLIC_URL: 'https://housecat.example.test/',
          QSTASH_CURRENT_SIGNING_KEY: 'a',
          QSTASH_NEXT_SIGNING_KEY: 'b',
          GHE_HOST: new URL(gh.url).host,
          GHE_PROTOCOL: 'http',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Complete lines only: a line still being written is not judged.
    const lines = () => out.split('\n').slice(0, -1);
    return { child, lines, stderr: () => err, exited };
  }

  /** A `/housecat run` comment on an incident issue: saving it needs Redis. */
  function runComment() {
    const payload = webhookPayload('issue_comment', 'created');
    payload.issue.body = `${incidentMarker('acme--shop--logs')}\nFailing.`;
    payload.comment.body = '/housecat run';
    payload.sender.type = 'User';
    return payload;
  }

  it('writes JSON lines with level, time and msg, and no stack for Redis down or a forged signature', async () => {
    const app = serve({});
    try {
      const records = () => app.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
      const url = await vi.waitFor(
        () => {
          const listening = records().find((r) => String(r.msg).includes('listening on'));
          expect(listening, app.lines().join('\n') + app.stderr()).toBeDefined();
          return String(listening?.url);
        },
        { timeout: 30_000, interval: 50 },
      );
      const webhooks = `${url}/api/github/webhooks`;
      const forged = await gh.deliverWebhook(webhooks, 'not-the-secret', 'issue_comment', runComment());
      expect(forged.status).toBe(400);
      const saved = await gh.deliverWebhook(webhooks, SECRET, 'issue_comment', runComment());
      expect(saved.status, app.lines().join('\n')).toBe(500);
      // Both conditions have been logged (Probot's lines and HouseCat's): the log is complete for them.
      await vi.waitFor(
        () => {
          const text = app.lines().join('\n');
          expect(text).toContain('signature does not match event payload and secret');
          expect(text).toContain('could not save run of acme--shop--logs');
          expect(
            records().some((r) => r.scope === 'event' && String(r.msg).includes('Redis: claim failed')),
          ).toBe(true);
        },
        { timeout: 30_000, interval: 50 },
      );
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);

      const logged = records();
      for (const record of logged) {
        expect(typeof record.level, JSON.stringify(record)).toBe('string');
        expect(Number.isNaN(Date.parse(String(record.time))), JSON.stringify(record)).toBe(false);
        expect(typeof record.msg, JSON.stringify(record)).toBe('string');
      }
      const all = `${app.lines().join('\n')}\n${app.stderr()}`;
      // No key twice in a line (pino repeats a re-bound key; some collectors refuse such lines).
      for (const line of app.lines())
        expect(line.match(/"name":"(housecat|probot|event)"/g)?.length ?? 0, line).toBeLessThanOrEqual(1);
      expect(all).not.toContain('"stack"');
      expect(all).not.toMatch(/^\s+at /m);
      // Probot called the forged signature an error; it is an expected condition: a warning.
      const signature = logged.filter((r) => String(r.msg).includes('signature does not match'));
      expect(signature.length).toBeGreaterThan(0);
      expect(signature.map((r) => r.level)).toEqual(signature.map(() => 'warn'));
      expect(logged.some((r) => r.msg === 'stopped: closing the browser and Redis.')).toBe(true);
      expect(app.stderr()).toBe('');
      expect(all).not.toContain('BEGIN');
    } finally {
      app.child.kill('SIGKILL');
    }
  });

  it('writes a readable line per event with LOG_FORMAT=pretty, and LOG_LEVEL=warn leaves out info', async () => {
    const port = await freePort();
    const app = serve({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'warn' }, port);
    try {
      // Nothing at info is printed, the listening line included: the server's answer says it is up.
      await vi.waitFor(
        async () => expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
      const forged = await gh.deliverWebhook(
        `http://127.0.0.1:${port}/api/github/webhooks`,
        'not-the-secret',
        'issue_comment',
        runComment(),
      );
      expect(forged.status).toBe(400);
      await vi.waitFor(() => expect(app.lines().join('\n')).toContain('signature does not match'), {
        timeout: 30_000,
        interval: 50,
      });
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      const lines = app.lines();
      for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d (WARN |ERROR) /);
      expect(lines.join('\n')).not.toContain('INFO');
      expect(lines.filter((l) => l.includes('signature does not match'))[0]).toMatch(
        /^\d\d:\d\d:\d\d WARN {2}\[probot(\/event)?\] \[@octokit\/webhooks\] signature does not match event payload and secret/,
      );
    } finally {
      app.child.kill('SIGKILL');
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
