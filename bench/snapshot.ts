/**
 * Snapshot size on real third-party front-ends (Swagger UI, docsify) and on a single-page login,
 * next to the page's innerText and HTML size; and the steps a scripted login needs on the
 * single-page app with and without settling the page before each snapshot.
 */
import { createClaudeAgent } from '../src/adapters/agent/claude/claude-agent.js';
import { BrowserPool } from '../src/adapters/browser/browser-pool.js';
import { settlePage } from '../src/adapters/browser/settle.js';
import { takeSnapshot } from '../src/adapters/browser/snapshot.js';
import { readEnv } from '../src/adapters/env.js';
import { createHostPolicy } from '../src/core/net/host-policy.js';
import { startAnthropicServer } from '../tests/support/anthropic-server.js';
import { realAppRoutes } from '../tests/support/real-apps.js';
import { patientLoginPolicy, SPA_PASSWORD, spaLoginRoutes } from '../tests/support/spa-login.js';
import { startStaticServer } from '../tests/support/static-server.js';
import { makeTest } from '../tests/support/test-definitions.js';

const env = readEnv(process.env);
const pool = new BrowserPool({ env });
const site = await startStaticServer({ ...realAppRoutes(), ...spaLoginRoutes(700) });
const policy = createHostPolicy({ url: site.url, allowedHosts: [], allowPrivateNetwork: true });

const pages: [string, string][] = [
  ['Swagger UI (swagger-ui-dist)', '/swagger/'],
  ['docsify home', '/docs/'],
  ['docsify guide (client-side route)', '/docs/#/guide'],
  ['single-page login (own fixture)', '/spa'],
];
console.log('page | snapshot chars (≈tokens) | raw aria snapshot chars | innerText chars | HTML chars');
for (const [name, path] of pages) {
  const context = await pool.newContext({ policy });
  const page = await context.newPage();
  await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
  await settlePage(page, { maxMs: 5_000 });
  const snapshot = await takeSnapshot(page, { maxChars: 1_000_000 });
  const capped = await takeSnapshot(page);
  const raw = await page.ariaSnapshot({ mode: 'ai' });
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is compared
  const inner = await page.evaluate(() => document.body.innerText);
  const html = await page.content();
  console.log(
    `${name} | ${snapshot.text.length} (≈${snapshot.tokens}; capped: ${capped.text.length}) | ${raw.length} | ${inner.length} | ${html.length}`,
  );
  await context.close();
}

const llm = await startAnthropicServer();
for (const settle of [false, false, false, true, true, true]) {
  llm.respond(patientLoginPolicy('DEMO_PASSWORD', 'Welcome, Demo', 40));
  const agent = createClaudeAgent({
    env: {
      ...env,
      ANTHROPIC_API_KEY: llm.apiKey,
      ANTHROPIC_BASE_URL: llm.url,
      HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
    },
    pool,
    maxRetries: 0,
    settle,
  });
  const started = Date.now();
  const result = await agent.run({
    test: makeTest('spa', {
      url: `${site.url}/spa`,
      agent: 'claude',
      goal: 'Sign in and check the dashboard says "Welcome, Demo".',
      secrets: ['DEMO_PASSWORD'],
      timeout: 60,
      maxSteps: 60,
    }),
    runId: `bench-${settle}`,
    secrets: { DEMO_PASSWORD: SPA_PASSWORD },
  });
  const tools = result.steps.filter((s) => s.action !== 'navigate').length;
  console.log(
    `scripted login, settle ${settle ? 'on ' : 'off'}: ${result.status}, ${tools} tool calls (${result.usage.llmCalls} model calls, ${result.usage.inputTokens} input tokens), ${Date.now() - started} ms`,
  );
}
await llm.close();
await pool.close();
await site.close();
