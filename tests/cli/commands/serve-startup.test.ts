import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { recordingIo } from '../../support/recording-io.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { serveEnv } from '../../support/serve-env.js';

describe('housecat serve start-up', () => {
  let gh: GitHubServer;
  let folder: string;
  beforeAll(async () => {
    gh = await startGitHubServer();
    folder = mkdtempSync(join(tmpdir(), 'housecat-serve-env-'));
  });
  afterAll(async () => {
    await gh.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads the settings of .env in its folder, and a variable set in the environment wins', async () => {
    // As Probot's manifest flow writes it: the private key as a quoted value over several lines.
    writeFileSync(
      join(folder, '.env'),
      [
        `APP_ID=${gh.appId}`,
        `PRIVATE_KEY="${gh.privateKey.trim()}"`,
        'WEBHOOK_SECRET=from-the-file',
        'HOUSECAT_PUBLIC_URL=https://from-the-file.example.test/',
        'QSTASH_CURRENT_SIGNING_KEY=a',
        'QSTASH_NEXT_SIGNING_KEY=b',
        `GHE_HOST=${new URL(gh.url).host}`,
        'GHE_PROTOCOL=http',
        '',
      ].join('\n'),
    );
    const controller = new AbortController();
    const env = {
      REDIS_URL: testRedisUrl(),
      HOUSECAT_REDIS_PREFIX: uniquePrefix('serve-env'),
      HOUSECAT_PUBLIC_URL: 'https://from-the-environment.example.test/',
    };
    const { io: cli, err, printed } = recordingIo(env, folder, controller.signal);
    const exit = main(['serve', '--port', '0', '--host', '127.0.0.1'], cli);
    const started = await Promise.race([printed('GitHub webhooks:'), exit.then(() => err.join('\n'))]);
    expect(started).toContain('listening on');
    expect(started).toContain('https://from-the-environment.example.test/api/callback/{test-id}');
    expect(started).not.toContain('from-the-file.example.test');
    // Names only: the values (the private key) never reach the log.
    expect(started).toMatch(
      /settings from .*\.env: 7 read; already set in the environment, kept: HOUSECAT_PUBLIC_URL/,
    );
    expect(started).not.toContain('BEGIN');
    controller.abort();
    expect(await exit).toBe(0);
  });

  it('says in one line which port is taken and how to fix it, and exits 2', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const env = serveEnv(gh, uniquePrefix('serve-port'));
      const { io: cli, err } = recordingIo(env, tmpdir());
      expect(await main(['serve', '--port', String(port), '--host', '127.0.0.1'], cli)).toBe(2);
      // Start-up warnings (no ANTHROPIC_API_KEY here) may come first; the failure is one error line.
      const errors = err.filter((line) => !line.startsWith('warning:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(errors[0]).toContain('--port N or PORT');
      expect(err.join('\n')).not.toContain('    at ');
    } finally {
      holder.close();
    }
  });
});
