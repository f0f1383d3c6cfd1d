/**
 * One web layer: the route table is the only place that declares routes. Read from the sources,
 * like tests/architecture.test.ts: no file but the bot's wiring builds a server or hands Probot a
 * handler, and every top-level path a handler checks for is a route of the table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeOf, routeTable } from '../../src/web/route-table.js';

const src = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const code = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');

describe('the route table', () => {
  it('is the only way in: no other file builds an HTTP server or adds a Probot handler', () => {
    const offenders = sourceFiles(src)
      .filter((f) => /\baddHandler\b|\bcreateServer\(|\bcreateNodeMiddleware\(/.test(code(f)))
      .map((f) => relative(src, f))
      // The browser's network guard is a proxy for the agent's Chromium, not a route of the app.
      .filter((f) => f !== 'adapters/browser/guard-proxy.ts')
      // The GitHub App's setup page runs instead of the app, before any App exists (no App id and no
      // key): a separate, loopback-bound, one-off server that serves none of the app's routes.
      .filter((f) => f !== 'cli/app-setup.ts')
      // `housecat up` finds a free loopback port for its private redis-server with a net (not HTTP) probe.
      .filter((f) => f !== 'adapters/redis-process.ts');
    // The bot's wiring hands Probot the webhook route only (app.ts) and creates the one server over
    // the route table (app-server.ts); `housecat up` serves the same status and dashboard routes
    // through the web layer's router, on its own one server (bot/up/local-app.ts).
    expect(offenders).toEqual(['bot/app-server.ts', 'bot/app.ts', 'bot/up/local-app.ts']);
    expect(code(join(src, 'bot/app.ts'))).not.toMatch(/\baddHandler\b/);
  });

  it('has a route for every path prefix a handler answers', () => {
    const handler = async () => true;
    const routes = routeTable({
      health: handler,
      ready: handler,
      metrics: handler,
      callback: handler,
      watchdog: handler,
      webhooks: handler,
      status: handler,
      dashboard: handler,
    });
    // Path literals that handlers compare request paths against.
    const literals = new Set<string>();
    for (const file of sourceFiles(join(src, 'bot'))) {
      for (const m of code(file).matchAll(
        /(?:startsWith\(|===\s*|PREFIX\s*=\s*|PATH\s*=\s*)'(\/[^'\s]*)'/g,
      )) {
        literals.add(m[1] as string);
      }
    }
    expect(literals.size).toBeGreaterThan(3);
    for (const path of literals) {
      const probe = path.endsWith('/') && path !== '/' ? `${path}x` : path;
      expect(
        routeOf(routes, probe),
        `a handler answers ${path}, but the table has no route for it`,
      ).toBeDefined();
    }
  });
});
