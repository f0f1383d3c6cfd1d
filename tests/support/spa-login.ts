/**
 * A single-page app with a login form, as real ones behave: the form is rendered by a script after
 * a fetch that ends after `load`, and signing in is a fetch followed by a re-render, not a page load.
 * Used by the settle tests and the snapshot benchmark.
 */
import { findRef, latestObservation, type Responder, toolsCalled, verdict } from './anthropic-server.js';
import type { Route } from './static-server.js';

export const SPA_USER = 'demo';
export const SPA_PASSWORD = 'correct horse';

const page = `<!doctype html><html><head><title>Shop</title></head><body><div id="app">Loading…</div>
<script>
const app = document.getElementById('app');
fetch('/api/config').then((r) => r.json()).then(() => {
  app.innerHTML = '<h1>Sign in</h1><form id="f"><label>Username <input name="u"></label>' +
    '<label>Password <input type="password" name="p"></label><button>Sign in</button></form>';
  document.getElementById('f').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const r = await fetch('/api/login', { method: 'POST', body: JSON.stringify(Object.fromEntries(form)) });
    const answer = await r.json();
    app.innerHTML = answer.ok ? '<h1>Welcome, Demo</h1><p>3 orders</p>' : '<p role="alert">Wrong password</p>';
  });
});
</script></body></html>`;

const delayed =
  (ms: number, body: (raw: string) => unknown): Route =>
  (_req, res, raw) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body(raw)));
    }, ms);
  };

/** Routes of the app: `/spa` (the page), `/api/config` and `/api/login` (each answers after `delayMs`). */
export function spaLoginRoutes(delayMs = 700): Record<string, Route> {
  return {
    '/spa': page,
    '/api/config': delayed(delayMs, () => ({ ok: true })),
    '/api/login': delayed(delayMs, (raw) => {
      const sent = JSON.parse(raw || '{}') as { u?: string; p?: string };
      return { ok: sent.u === SPA_USER && sent.p === SPA_PASSWORD };
    }),
  };
}

/**
 * A patient scripted model: when what it needs is not on the page yet, it asks for a fresh
 * snapshot (one more step) instead of giving up; it gives up after `patience` such steps.
 */
export function patientLoginPolicy(secretName: string, expectText: string, patience = 8): Responder {
  return (body) => {
    const seen = latestObservation(body);
    const done = toolsCalled(body);
    const waits = done.filter((t) => t === 'snapshot').length;
    const again = () =>
      waits < patience
        ? { tools: [{ name: 'snapshot', input: {} }] }
        : verdict(false, 'The page did not show what the login needs.');
    const user = findRef(seen, 'textbox', 'Username');
    const password = findRef(seen, 'textbox', 'Password');
    if (!done.includes('type')) {
      if (!user) return again();
      return { tools: [{ name: 'type', input: { ref: user, text: SPA_USER } }] };
    }
    if (!done.includes('type_secret')) {
      if (!password) return again();
      return { tools: [{ name: 'type_secret', input: { ref: password, name: secretName, submit: true } }] };
    }
    if (!seen.includes(expectText)) return again();
    return {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: `Signed in: "${expectText}".`,
            evidence: { text_visible: [expectText] },
          },
        },
      ],
    };
  };
}
