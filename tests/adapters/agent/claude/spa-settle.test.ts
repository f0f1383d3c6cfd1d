/**
 * Stale snapshots on single-page apps (issue 13, defect 8): the app renders its form after a fetch
 * that ends after `load`, and signs in with a fetch and a re-render. The agent lets the page settle
 * (network quiet, DOM stable, bounded) before each snapshot, so the model sees the form in the
 * first snapshot and the dashboard right after pressing Enter, with no extra steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeAgent } from '../../../../src/adapters/agent/claude/claude-agent.js';
import { BrowserPool } from '../../../../src/adapters/browser/browser-pool.js';
import type { HouseCatEnv } from '../../../../src/adapters/env.js';
import {
  type AnthropicServer,
  agentEnv,
  latestObservation,
  startAnthropicServer,
} from '../../../support/anthropic-server.js';
import { patientLoginPolicy, SPA_PASSWORD, spaLoginRoutes } from '../../../support/spa-login.js';
import { type StaticServer, startStaticServer } from '../../../support/static-server.js';
import { requireChromium } from '../../../support/system.js';
import { makeTest } from '../../../support/test-definitions.js';

let app: StaticServer;
let llm: AnthropicServer;
let pool: BrowserPool;
let env: HouseCatEnv;

beforeAll(async () => {
  const chromium = requireChromium();
  app = await startStaticServer(spaLoginRoutes(700));
  llm = await startAnthropicServer();
  env = agentEnv(llm, chromium);
  pool = new BrowserPool({ env });
});

afterAll(async () => {
  await pool?.close();
  await llm?.close();
  await app?.close();
});

describe('claude agent on a single-page app', () => {
  it('shows the rendered form first and the dashboard right after submitting, with no extra steps', async () => {
    llm.respond(patientLoginPolicy('DEMO_PASSWORD', 'Welcome, Demo', 0));
    const first = llm.calls.length;
    const agent = createClaudeAgent({ env, pool, maxRetries: 1 });
    const result = await agent.run({
      test: makeTest('spa', {
        url: `${app.url}/spa`,
        goal: 'Sign in and check the dashboard says "Welcome, Demo".',
        agent: 'claude',
        secrets: ['DEMO_PASSWORD'],
        timeout: 60,
      }),
      runId: 'run-spa',
      secrets: { DEMO_PASSWORD: SPA_PASSWORD },
    });
    const calls = llm.calls.slice(first);
    // The first snapshot already has the form the app rendered after its fetch.
    expect(latestObservation(calls[0]!.body)).toMatch(/\[ref=e\d+\] textbox "Username"/);
    // The tool result of "type the password and press Enter" already shows the dashboard.
    expect(latestObservation(calls[2]!.body)).toContain('Welcome, Demo');
    expect(result.status, result.reason).toBe('passed');
    expect(result.steps.map((s) => s.action)).toEqual(['navigate', 'type', 'type_secret', 'verdict']);
  });
});
