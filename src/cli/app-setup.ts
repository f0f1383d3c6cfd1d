/**
 * Probot's manifest flow, for `housecat serve` started with neither APP_ID nor a private key: a
 * local page registers the GitHub App from `app.yml` (GitHub's "register an app from a manifest"),
 * then exchanges the one-time code GitHub sends back for the App's credentials and writes them to
 * `.env`. Probot's own ManifestCreation reads `process.env` and the working folder's package.json,
 * and writes `.env` without keeping its mode; this is the same flow (same paths, same conversion
 * call) on our own server and settings.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { mergeDotEnv } from './dot-env-write.js';

/** Probot's paths: the page, and where GitHub sends the browser back with `?code=`. */
export const SETUP_PATH = '/probot';
export const SETUP_REDIRECT_PATH = '/probot/setup';

/** True when the app has no identity yet: the manifest flow creates one. */
export function needsAppSetup(env: NodeJS.ProcessEnv): boolean {
  return !env.APP_ID && !env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH;
}

export interface AppSetupOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  host: string;
  /** Where the app takes GitHub's webhooks (the bot's WEBHOOK_PATH, passed in: entries import no other entry). */
  webhookPath: string;
}

/** GitHub's web and API bases: github.com, or GitHub Enterprise Server from GHE_HOST/GHE_PROTOCOL. */
function githubBases(env: NodeJS.ProcessEnv): { web: string; api: string } {
  if (!env.GHE_HOST) return { web: 'https://github.com', api: 'https://api.github.com' };
  const web = `${env.GHE_PROTOCOL ?? 'https'}://${env.GHE_HOST}`;
  return { web, api: `${web}/api/v3` };
}

/**
 * The manifest: `app.yml` (the working folder's, else the one shipped with HouseCat), with every URL
 * pointed at this deployment (HOUSECAT_PUBLIC_URL, else the local address).
 */
export function buildManifest(cwd: string, baseUrl: string, webhookPath: string): Record<string, unknown> {
  const candidates = [join(cwd, 'app.yml'), join(import.meta.dirname, '../../app.yml')];
  const file = candidates.find((f) => {
    try {
      readFileSync(f);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) {
    throw new ConfigError(
      `no app.yml in ${cwd}: copy HouseCat's app.yml (the GitHub App manifest) there, or set APP_ID and PRIVATE_KEY of an existing App.`,
    );
  }
  const manifest = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const hook = (manifest.hook_attributes ?? {}) as Record<string, unknown>;
  return {
    ...manifest,
    url: baseUrl,
    hook_attributes: { ...hook, url: `${baseUrl}${webhookPath}` },
    redirect_url: `${baseUrl}${SETUP_REDIRECT_PATH}`,
    callback_urls: [`${baseUrl}/auth/callback`],
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * Serves the setup page and the redirect route until closed. Resolves once listening, with the
 * page's URL and a `close()`.
 */
export async function startAppSetup(
  options: AppSetupOptions,
  log: (line: string) => void,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const { env, cwd } = options;
  const bases = githubBases(env);
  const newAppUrl = `${bases.web}${env.GH_ORG ? `/organizations/${env.GH_ORG}` : ''}/settings/apps/new`;
  let localUrl = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    };
    if (req.method !== 'GET') return reply(405, page('Method not allowed', ''));
    if (url.pathname === SETUP_PATH || url.pathname === '/setup' || url.pathname === '/') {
      const base = (env.HOUSECAT_PUBLIC_URL ?? localUrl).replace(/\/+$/, '');
      let manifest: Record<string, unknown>;
      try {
        manifest = buildManifest(cwd, base, options.webhookPath);
      } catch (error) {
        return reply(500, page('No app.yml', `<p>${escapeHtml((error as Error).message)}</p>`));
      }
      return reply(
        200,
        page(
          'Register the HouseCat GitHub App',
          `<p>This registers a GitHub App from <code>app.yml</code> on ${escapeHtml(bases.web)}, with webhooks sent to <code>${escapeHtml(base + options.webhookPath)}</code>. GitHub then sends you back here, and the App's ID, private key, webhook secret and client credentials are written to <code>${escapeHtml(join(cwd, '.env'))}</code>.</p>
<form action="${escapeHtml(newAppUrl)}" method="post"><input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}"><button type="submit">Register the GitHub App</button></form>`,
        ),
      );
    }
    if (url.pathname === SETUP_REDIRECT_PATH) {
      const code = url.searchParams.get('code');
      if (!code)
        return reply(400, page('No code', '<p>GitHub sends a <code>?code=</code>: start again.</p>'));
      convert(bases.api, code, cwd).then(
        (done) => {
          log(
            `GitHub App registered (${done.htmlUrl}); its settings are in ${done.file}. Restart \`housecat serve\`.`,
          );
          reply(
            200,
            page(
              'The GitHub App is registered',
              `<p>Its settings are in <code>${escapeHtml(done.file)}</code> (${escapeHtml(done.names.join(', '))}). Install it on your repositories from <a href="${escapeHtml(done.htmlUrl)}">its page</a>, then restart <code>housecat serve</code> (stop this setup server; start it again with HOUSECAT_PUBLIC_URL, the QStash signing keys and Redis set) to run the App.</p>`,
            ),
          );
        },
        (error: Error) => {
          log(`error: the App registration could not be completed: ${error.message}`);
          reply(502, page('Registration failed', `<p>${escapeHtml(error.message)}</p>`));
        },
      );
      return;
    }
    reply(404, page('Not found', `<p>The setup page is at <a href="${SETUP_PATH}">${SETUP_PATH}</a>.</p>`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  localUrl = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `${localUrl}${SETUP_PATH}`, server, close };
}

/** GitHub's `POST /app-manifests/{code}/conversions`, then the credentials into `.env`. */
async function convert(
  apiBase: string,
  code: string,
  cwd: string,
): Promise<{ file: string; names: string[]; htmlUrl: string }> {
  const endpoint = `${apiBase}/app-manifests/${encodeURIComponent(code)}/conversions`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { accept: 'application/vnd.github+json', 'user-agent': 'housecat-setup' },
    });
  } catch (error) {
    throw new Error(`cannot reach ${endpoint}: ${(error as Error).message}`);
  }
  if (response.status !== 201) {
    throw new Error(
      `${endpoint} answered ${response.status} (the code is single-use and expires after an hour: register again from the setup page)`,
    );
  }
  const app = (await response.json()) as {
    id: number;
    pem: string;
    webhook_secret: string | null;
    client_id: string;
    client_secret: string;
    html_url: string;
  };
  const settings: Record<string, string> = {
    APP_ID: String(app.id),
    PRIVATE_KEY: app.pem,
    WEBHOOK_SECRET: app.webhook_secret ?? '',
    GITHUB_CLIENT_ID: app.client_id,
    GITHUB_CLIENT_SECRET: app.client_secret,
  };
  const file = join(cwd, '.env');
  mergeDotEnv(file, settings);
  return { file, names: Object.keys(settings), htmlUrl: app.html_url };
}
