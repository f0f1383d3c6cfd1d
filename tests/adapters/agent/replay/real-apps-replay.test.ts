/**
 * Replay against front-ends that behave like real ones (issue 14, "done when"): the single-page
 * login of tests/support/spa-login.ts (form rendered after a late fetch, sign-in by fetch and
 * re-render) and Swagger UI from tests/support/real-apps.ts (operations rendered after fetching the
 * spec). The first run calls the scripted model through the real SDK and records a script; the
 * second replays it with 0 requests to the Anthropic stand-in; a broken app is never `passed`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../../../src/adapters/agent/index.js';
import type { TestDefinition } from '../../../../src/core/types.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import {
  latestObservation,
  type Responder,
  toolsCalled,
  verdict,
} from '../../../support/anthropic-server.js';
import { realAppRoutes } from '../../../support/real-apps.js';
import { patientLoginPolicy, SPA_PASSWORD, spaLoginRoutes } from '../../../support/spa-login.js';
import { type StaticServer, startStaticServer } from '../../../support/static-server.js';
import { makeTest } from '../../../support/test-definitions.js';

let site: StaticServer;
const h = useAgentHarness({ apps: false, replay: 'real-replay' });

beforeAll(async () => {
  site = await startStaticServer({ ...spaLoginRoutes(700), ...realAppRoutes() });
});

beforeEach(() => {
  // Every test starts from the working apps.
  for (const [path, route] of Object.entries({ ...spaLoginRoutes(700), ...realAppRoutes() })) {
    site.route(path, route);
  }
});

afterAll(async () => {
  await site?.close();
});

const NO_MODEL = [verdict(false, 'the model must not be asked on a replay')];

/** `elementWaitMs`: short where the replay waits for an element that can only fail to come. */
async function run(test: TestDefinition, responder: Responder | typeof NO_MODEL, elementWaitMs?: number) {
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const agent = createAgent({
    env: h.env,
    pool: h.pool,
    replay: h.scripts,
    claude: { maxRetries: 1, snapshotChars: 20_000 },
    ...(elementWaitMs !== undefined ? { elementWaitMs } : {}),
  });
  const result = await agent.run({
    test,
    runId: `run-${Math.random().toString(36).slice(2, 8)}`,
    secrets: { DEMO_PASSWORD: SPA_PASSWORD },
  });
  return { result, calls: h.llm.calls.length - first };
}

const spaTest = () =>
  makeTest('spa-login', {
    url: `${site.url}/spa`,
    goal: 'Sign in as demo with the DEMO_PASSWORD secret and check the page says "Welcome, Demo".',
    agent: 'claude',
    secrets: ['DEMO_PASSWORD'],
    expect: undefined,
    timeout: 60,
  });

/** Opens the "get one order" operation and cites its 404 answer; fails when either is missing. */
const swaggerModel: Responder = (body) => {
  const seen = latestObservation(body);
  if (!toolsCalled(body).includes('click')) {
    const ref = /^\[ref=(e\d+)\] button "GET \/orders\/\{id\}/m.exec(seen)?.[1];
    if (!ref) return verdict(false, 'The API page lists no "GET /orders/{id}" operation.');
    return { tools: [{ name: 'click', input: { ref } }] };
  }
  return seen.includes('No such order')
    ? verdict(true, 'The operation documents its 404 answer.', ['No such order'])
    : verdict(false, 'The operation does not document a 404 answer.');
};

const swaggerTest = () =>
  makeTest('swagger-order', {
    url: `${site.url}/swagger/`,
    goal: 'Open the "get one order" operation and check it documents the 404 answer.',
    agent: 'claude',
    expect: undefined,
    timeout: 90,
  });

describe('replay on a single-page login', () => {
  it('replays with 0 model requests after a recorded pass, and fails, never passes, when sign-in breaks', async () => {
    const model = patientLoginPolicy('DEMO_PASSWORD', 'Welcome, Demo', 3);
    const first = await run(spaTest(), model);
    expect(first.result.status, first.result.reason).toBe('passed');
    expect(first.result.mode).toBe('agent');
    expect(first.calls).toBeGreaterThan(0);
    const script = await h.scripts.get(spaTest().id);
    expect(script?.steps.map((s) => s.action)).toEqual(['type', 'type_secret']);
    expect(JSON.stringify(script)).not.toContain(SPA_PASSWORD);

    const second = await run(spaTest(), NO_MODEL);
    expect(second.calls).toBe(0);
    expect(second.result.status, second.result.reason).toBe('passed');
    expect(second.result.mode).toBe('replay');

    // The server now refuses the password: the page says "Wrong password", not "Welcome, Demo".
    site.route(
      '/api/login',
      (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false}'),
    );
    const broken = await run(spaTest(), model);
    expect(broken.calls).toBeGreaterThan(0);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toContain('replay: the recorded evidence does not hold');
    expect(broken.result.reason).toContain('Agent: The page did not show what the login needs.');
  }, 180_000);

  it('fails, never passes, when the app answers 500', async () => {
    const model = patientLoginPolicy('DEMO_PASSWORD', 'Welcome, Demo', 1);
    expect((await run(spaTest(), model)).result.status).toBe('passed');
    site.route('/spa', { status: 500, body: '<h1>Internal Server Error</h1>' });
    const broken = await run(spaTest(), model);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toMatch(/^replay: the page answered HTTP 500 at step 0\. Agent: /);
  }, 180_000);
});

describe('replay on Swagger UI', () => {
  it('replays the click on an operation with 0 model requests, and fails when the spec cannot load', async () => {
    const first = await run(swaggerTest(), swaggerModel);
    expect(first.result.status, first.result.reason).toBe('passed');
    expect(first.calls).toBe(2);
    const script = await h.scripts.get(swaggerTest().id);
    expect(script?.steps).toHaveLength(1);
    expect(script?.steps[0]).toMatchObject({ action: 'click', target: { by: 'role', role: 'button' } });
    expect(script?.evidence.textVisible).toEqual(['No such order']);

    const second = await run(swaggerTest(), NO_MODEL);
    expect(second.calls).toBe(0);
    expect(second.result.status, second.result.reason).toBe('passed');
    expect(second.result.mode).toBe('replay');

    // The page itself still answers 200, but Swagger UI cannot fetch the spec it renders.
    site.route('/swagger/openapi.json', { status: 500, body: 'spec store down', type: 'text/plain' });
    // The operation's button never renders without the spec: a short wait for it.
    const broken = await run(swaggerTest(), swaggerModel, 500);
    expect(broken.calls).toBeGreaterThan(0);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toMatch(/^replay: button '.*' not found at step 1\. Agent: /);
  }, 240_000);
});
