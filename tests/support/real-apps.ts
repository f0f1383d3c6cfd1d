/**
 * Real third-party web front-ends, installed from npm as dev dependencies and served locally:
 * Swagger UI (`swagger-ui-dist`, an API-docs single-page app) and docsify (a docs site with
 * client-side routing). Their pages are theirs; only the spec, the Markdown and the HTML shell that
 * loads them are ours, written the way their READMEs show. The docs page also loads a live-reload
 * script from another port, as `docsify serve` does, which the host policy refuses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from './static-server.js';

const require = createRequire(import.meta.url);
const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const docsifyDir = dirname(require.resolve('docsify/package.json'));

const file = (path: string, type: string): Route => ({ body: readFileSync(path, 'utf8'), type });

const spec = {
  openapi: '3.0.3',
  info: { title: 'Shop orders API', version: '1.0.0', description: 'Orders of the demo shop.' },
  paths: {
    '/orders': { get: { summary: 'List orders', responses: { 200: { description: 'The orders' } } } },
    '/orders/{id}': {
      get: {
        summary: "Get one order's details: {id} is the order number",
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'The order' }, 404: { description: 'No such order' } },
      },
      delete: { summary: 'Cancel an order', responses: { 204: { description: 'Cancelled' } } },
    },
  },
};

const swaggerHtml = `<!doctype html><html><head><title>Shop orders API</title>
<link rel="stylesheet" href="/swagger/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/swagger/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/swagger/openapi.json', dom_id: '#swagger-ui' });</script>
</body></html>`;

const docsHtml = (liveReloadPort: number) => `<!doctype html><html><head><title>Shop docs</title>
<link rel="stylesheet" href="/docs/vue.css"></head><body><div id="app"></div>
<script>window.$docsify = { name: 'Shop docs', loadSidebar: false, notFoundPage: false };</script>
<script src="/docs/docsify.min.js"></script>
<script src="http://localhost:${liveReloadPort}/livereload.js"></script>
</body></html>`;

const readme = `# Shop docs

## Quick start

Install the shop, then open the dashboard. See the [configuration guide](#/guide) for every option.

## Buttons

Press **Step 1: Save** before "Download {{what}}".
`;

const guide = `# Configuration guide

Set \`SHOP_PORT\` to choose the port.
`;

/** Routes: `/swagger/` (Swagger UI) and `/docs/` (docsify, with `#/guide`). */
export function realAppRoutes(liveReloadPort = 35729): Record<string, Route> {
  return {
    '/swagger/': swaggerHtml,
    '/swagger/swagger-ui.css': file(join(swaggerDir, 'swagger-ui.css'), 'text/css'),
    '/swagger/swagger-ui-bundle.js': file(join(swaggerDir, 'swagger-ui-bundle.js'), 'text/javascript'),
    '/swagger/openapi.json': { body: JSON.stringify(spec), type: 'application/json' },
    '/docs/': docsHtml(liveReloadPort),
    '/docs/docsify.min.js': file(join(docsifyDir, 'lib/docsify.min.js'), 'text/javascript'),
    '/docs/vue.css': file(join(docsifyDir, 'lib/themes/vue.css'), 'text/css'),
    '/docs/README.md': { body: readme, type: 'text/markdown' },
    '/docs/guide.md': { body: guide, type: 'text/markdown' },
  };
}
