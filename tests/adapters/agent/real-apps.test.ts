/**
 * HouseCat against real third-party front-ends served locally (tests/support/real-apps.ts):
 * Swagger UI renders its operations after fetching the spec, with names such as
 * `GET /orders/{id}`; docsify routes on the client and loads a live-reload script from a host the
 * policy refuses. `expect` checks, the snapshot the model reads, and a scripted-model goal run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/adapters/agent/checks/index.js';
import { createClaudeAgent } from '../../../src/adapters/agent/claude/claude-agent.js';
import { BrowserPool } from '../../../src/adapters/browser/index.js';
import { settlePage } from '../../../src/adapters/browser/settle.js';
import { takeSnapshot } from '../../../src/adapters/browser/snapshot.js';
import { createHostPolicy } from '../../../src/core/net/host-policy.js';
import { blockedSteps, failedStep } from '../../../src/core/report/format.js';
import {
  type AnthropicServer,
  latestObservation,
  startAnthropicServer,
  toolsCalled,
} from '../../support/anthropic-server.js';
import { realAppRoutes } from '../../support/real-apps.js';
import { type StaticServer, startStaticServer } from '../../support/static-server.js';
import { requireChromium } from '../../support/system.js';
import { makeTest } from '../../support/test-definitions.js';

let site: StaticServer;
let pool: BrowserPool;
let llm: AnthropicServer;

beforeAll(async () => {
  const chromium = requireChromium();
  pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: chromium } });
  site = await startStaticServer(realAppRoutes());
  llm = await startAnthropicServer();
});

afterAll(async () => {
  await pool?.close();
  await site?.close();
  await llm?.close();
});

const check = (path: string, expectations: object) =>
  runChecks(
    { test: makeTest('real', { url: `${site.url}${path}`, expect: expectations, timeout: 60 }), runId: 'r' },
    { pool, allowPrivateNetwork: true, textWaitMs: 15_000 },
  );

describe('real apps', () => {
  it('passes expect checks on Swagger UI once it has rendered the spec', async () => {
    const result = await check('/swagger/', {
      status: 200,
      text: ['Shop orders API', '/orders/{id}', 'Cancel an order'],
    });
    expect(result.status, result.reason).toBe('passed');
  });

  it('passes expect checks on a docsify page and fails a client-side route that is missing, naming the text', async () => {
    const home = await check('/docs/', { status: 200, text: ['Quick start', 'configuration guide'] });
    expect(home.status, home.reason).toBe('passed');
    const missing = await check('/docs/#/nowhere', { text: ['Quick start'] });
    expect(missing.status).toBe('failed');
    expect(missing.reason).toContain('text "Quick start" not found on the page; the page shows: "');
    // The live-reload script on another host was refused, but it is not what failed.
    expect(failedStep(missing)?.action).toBe('check:text');
    expect(blockedSteps(missing).join('\n')).toContain('livereload.js');
  });

  it("keeps every Swagger operation clickable in the model's snapshot", async () => {
    const policy = createHostPolicy({ url: site.url, allowedHosts: [], allowPrivateNetwork: true });
    const context = await pool.newContext({ policy });
    const page = await context.newPage();
    await page.goto(`${site.url}/swagger/`);
    await page.getByText('Cancel an order').waitFor();
    await settlePage(page);
    const snapshot = await takeSnapshot(page, { maxChars: 20_000 });
    const interactive = snapshot.text.split('Page content:')[0] ?? '';
    expect(interactive).toMatch(/^\[ref=e\d+\] button "GET \/orders\/\{id\}/m);
    expect(interactive).toMatch(/^\[ref=e\d+\] button "DELETE \/orders\/\{id\}/m);
    await context.close();
  });

  it('reaches a goal on Swagger UI with a scripted model: open an operation and cite what it shows', async () => {
    llm.respond((body) => {
      const seen = latestObservation(body);
      if (!toolsCalled(body).includes('click')) {
        const ref = /^\[ref=(e\d+)\] button "GET \/orders\/\{id\}/m.exec(seen)?.[1];
        if (!ref)
          return {
            tools: [
              {
                name: 'verdict',
                input: { passed: false, reason: `no operation in:\n${seen}`, evidence: { text_visible: [] } },
              },
            ],
          };
        return { tools: [{ name: 'click', input: { ref } }] };
      }
      const ok = seen.includes('No such order');
      return {
        tools: [
          {
            name: 'verdict',
            input: ok
              ? {
                  passed: true,
                  reason: 'The operation lists its 404 answer.',
                  evidence: { text_visible: ['No such order'] },
                }
              : {
                  passed: false,
                  reason: `The operation did not open:\n${seen}`,
                  evidence: { text_visible: [] },
                },
          },
        ],
      };
    });
    const agent = createClaudeAgent({
      env: {
        ANTHROPIC_API_KEY: llm.apiKey,
        ANTHROPIC_BASE_URL: llm.url,
        HOUSECAT_CHROMIUM: requireChromium(),
        HOUSECAT_ALLOW_PRIVATE_NETWORK: '1',
      },
      pool,
      maxRetries: 1,
      snapshotChars: 20_000,
    });
    const result = await agent.run({
      test: makeTest('swagger', {
        url: `${site.url}/swagger/`,
        agent: 'claude',
        goal: 'Open the "get one order" operation and check it documents the 404 answer.',
        timeout: 90,
      }),
      runId: 'r-swagger',
    });
    expect(result.status, result.reason).toBe('passed');
    expect(result.steps.map((s) => s.action)).toEqual(['navigate', 'click', 'verdict']);
  });
});
