/**
 * HouseCat's demo app: a tiny shop with a login page and a dashboard.
 *
 *   node examples/demo/app.mjs                 → healthy, on http://127.0.0.1:3000 (PORT=N to choose;
 *                                                a free port when 3000 is taken and PORT is unset)
 *   DEMO_BROKEN=1 node examples/demo/app.mjs   → the login page fails (HTTP 500)
 *   http://127.0.0.1:3000/login?broken=1       → the same breakage for one request
 *
 * Log in as "demo" with the password in DEMO_PASSWORD (default "housecat").
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Demo Shop</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.5rem 0}input{display:block;width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}</style>
</head><body><header><strong>Demo Shop</strong></header><main>${body}</main></body></html>`;

const loginForm = (message = '') =>
  page(
    'Sign in',
    `<h1>Sign in</h1>${message ? `<p role="alert">${message}</p>` : ''}
<form method="post" action="/login">
  <label>Username <input name="username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>`,
  );

const dashboard = (user) =>
  page(
    'Dashboard',
    `<h1>Welcome, ${user}!</h1><p>You have 3 open orders.</p>
<ul><li>Order #1001 — shipped</li><li>Order #1002 — packing</li><li>Order #1003 — paid</li></ul>
<form method="post" action="/logout"><button>Log out</button></form>`,
  );

/**
 * Starts the demo app. `broken: true` makes the login page answer 500, as a bad deploy would.
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startDemoApp({
  port = 0,
  host = '127.0.0.1',
  broken = false,
  password = 'housecat',
} = {}) {
  const sessions = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const cookie = /(?:^|;\s*)session=([a-z0-9]+)/.exec(req.headers.cookie ?? '')?.[1];
    const send = (status, html, headers = {}) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(html);
    const isBroken = broken || url.searchParams.get('broken') === '1';

    if (url.pathname === '/') return send(302, '', { location: '/login' });
    if (url.pathname === '/login' && req.method === 'GET') {
      if (isBroken) {
        return send(500, page('Error', '<h1>Internal Server Error</h1><p>database connection refused</p>'));
      }
      return send(200, loginForm());
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        if (form.get('username') === 'demo' && form.get('password') === password && !isBroken) {
          const id = Math.random().toString(36).slice(2);
          sessions.add(id);
          return send(303, '', { location: '/dashboard', 'set-cookie': `session=${id}; HttpOnly; Path=/` });
        }
        return send(401, loginForm('Wrong username or password.'));
      });
      return;
    }
    if (url.pathname === '/dashboard') {
      if (!cookie || !sessions.has(cookie)) return send(302, '', { location: '/login' });
      return send(200, dashboard('demo'));
    }
    if (url.pathname === '/logout') {
      if (cookie) sessions.delete(cookie);
      return send(303, '', { location: '/login', 'set-cookie': 'session=; Max-Age=0; Path=/' });
    }
    if (url.pathname === '/healthz') return send(200, 'ok', { 'content-type': 'text/plain' });
    return send(404, page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = {
    broken: process.env.DEMO_BROKEN === '1',
    password: process.env.DEMO_PASSWORD || 'housecat',
  };
  const chosen = process.env.PORT !== undefined && process.env.PORT !== '';
  let app;
  try {
    app = await startDemoApp({ ...options, port: chosen ? Number(process.env.PORT) : 3000 });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    if (chosen) {
      process.stderr.write(
        `Port ${process.env.PORT} is already in use: stop what runs there, or pick another (PORT=8080 node examples/demo/app.mjs).\n`,
      );
      process.exit(2);
    }
    // 3000 is only the default: take any free port rather than fail.
    process.stdout.write(
      'Port 3000 is already in use: using a free port instead (set PORT to choose one).\n',
    );
    app = await startDemoApp({ ...options, port: 0 });
  }
  process.stdout.write(`Demo Shop on ${app.url}${process.env.DEMO_BROKEN === '1' ? ' (broken)' : ''}\n`);
}
