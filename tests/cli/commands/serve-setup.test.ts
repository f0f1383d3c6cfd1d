/**
 * `housecat serve` with no GitHub App yet: Probot's manifest flow over real HTTP, against the
 * GitHub stand-in's `POST /app-manifests/{code}/conversions`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { type GitHubServer, startGitHubServer } from '../../support/github-server.js';
import { recordingIo } from '../../support/recording-io.js';

const unescapeHtml = (s: string) => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

describe('housecat serve without APP_ID and PRIVATE_KEY: the manifest flow', () => {
  let gh: GitHubServer;
  let folder: string;
  beforeAll(async () => {
    gh = await startGitHubServer();
    folder = mkdtempSync(join(tmpdir(), 'housecat-setup-'));
    writeFileSync(join(folder, 'app.yml'), readFileSync(join(import.meta.dirname, '../../../app.yml')));
    // A setting of the user's own, and a comment: both must survive the write.
    writeFileSync(join(folder, '.env'), '# mine\nQSTASH_TOKEN=keep-me\n', { mode: 0o644 });
  });
  afterAll(async () => {
    await gh.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the setup page on loopback, registers the App from app.yml and writes .env (0600, merged)', async () => {
    const controller = new AbortController();
    const env = {
      GHE_HOST: new URL(gh.url).host,
      GHE_PROTOCOL: 'http',
      HOUSECAT_PUBLIC_URL: 'https://cat.example.test/',
    };
    const { io, err, printed } = recordingIo(env, folder, controller.signal);
    const exit = main(['serve', '--port', '0'], io);
    const said = await Promise.race([printed('/probot to register'), exit.then(() => err.join('\n'))]);
    const setupUrl = /open (http:\/\/127\.0\.0\.1:\d+\/probot) to register/.exec(said)?.[1];
    expect(setupUrl, said).toBeDefined();
    expect(said).toContain('.env');

    const html = await (await fetch(setupUrl!)).text();
    const form =
      /<form action="([^"]+)" method="post"><input type="hidden" name="manifest" value="([^"]+)"/.exec(html);
    expect(form?.[1]).toBe(`${gh.url}/settings/apps/new`);
    const manifest = JSON.parse(unescapeHtml(form![2]!)) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: 'HouseCat',
      url: 'https://cat.example.test',
      hook_attributes: { url: 'https://cat.example.test/api/github/webhooks' },
      redirect_url: 'https://cat.example.test/probot/setup',
      callback_urls: ['https://cat.example.test/auth/callback'],
      default_permissions: { issues: 'write', metadata: 'read' },
      default_events: ['issues', 'issue_comment'],
    });

    // The person confirms on GitHub, which sends the browser back with a one-time code.
    const code = gh.registerFromManifest(manifest);
    const back = await fetch(`${new URL(setupUrl!).origin}/probot/setup?code=${code}`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('restart');
    const conversion = gh.requests.find((r) => r.route === 'POST /app-manifests/{code}/conversions');
    expect(conversion?.status).toBe(201);
    expect(conversion?.path).toBe(`/app-manifests/${code}/conversions`);

    const file = join(folder, '.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# mine\nQSTASH_TOKEN=keep-me\n');
    const written = parseEnv(text);
    expect(written.APP_ID).toBe(String(gh.appId));
    expect(written.PRIVATE_KEY?.trim()).toBe(gh.privateKey.trim());
    expect(written.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{40}$/);
    expect(written.GITHUB_CLIENT_ID).toBe(gh.oauth.clientId);
    expect(written.GITHUB_CLIENT_SECRET).toBe(gh.oauth.clientSecret);
    expect(written.QSTASH_TOKEN).toBe('keep-me');

    // A code is single-use: a second visit says so instead of writing anything.
    const again = await fetch(`${new URL(setupUrl!).origin}/probot/setup?code=${code}`);
    expect(again.status).toBe(502);
    expect(await again.text()).toContain('answered 404');

    controller.abort();
    expect(await exit).toBe(0);
  });

  it('keeps the list of missing settings when only some are missing (APP_ID set)', async () => {
    const controller = new AbortController();
    const empty = mkdtempSync(join(tmpdir(), 'housecat-setup-partial-'));
    try {
      const { io, err } = recordingIo({ APP_ID: '1' }, empty, controller.signal);
      const code = await main(['serve', '--port', '0'], io);
      expect(code).toBe(2);
      expect(err.join('\n')).toContain('PRIVATE_KEY (the PEM text) or PRIVATE_KEY_PATH');
      expect(err.join('\n')).toContain('WEBHOOK_SECRET is not set');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
