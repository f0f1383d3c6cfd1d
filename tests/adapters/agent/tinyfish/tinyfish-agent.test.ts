import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyFishAgent, parseVerdict } from '../../../../src/adapters/agent/tinyfish/index.js';
import type { RunEvent } from '../../../../src/core/types.js';
import { makeTest } from '../../../support/test-definitions.js';
import { startTinyFishServer, type TinyFishServer } from '../../../support/tinyfish-server.js';

let tinyfish: TinyFishServer;

beforeAll(async () => {
  tinyfish = await startTinyFishServer({ apiKey: 'tf-key-123' });
});
afterAll(async () => {
  await tinyfish?.close();
});

const goalTest = makeTest('login', {
  agent: 'tinyfish',
  url: 'https://shop.example.com/login',
  goal: 'Log in and check the dashboard says Welcome',
  allowedHosts: ['auth.example.com'],
  expect: undefined,
});

function agent(overrides: { apiKey?: string; allowPrivateNetwork?: boolean } = {}) {
  return createTinyFishAgent({
    apiKey: 'apiKey' in overrides ? overrides.apiKey : tinyfish.apiKey,
    baseUrl: tinyfish.url,
    allowPrivateNetwork: overrides.allowPrivateNetwork ?? false,
    // shop.example.com must not depend on real DNS in the suite
    lookup: async () => [{ address: '93.184.215.14', family: 4 }],
  });
}

describe('TinyFish agent', () => {
  it('passes on a COMPLETED run with {passed: true}, sending url, goal and the API key', async () => {
    tinyfish.script({ kind: 'pass', reason: 'Dashboard shows Welcome, Demo' });
    const before = tinyfish.requests.length;
    const events: RunEvent[] = [];
    const result = await agent().run({ test: goalTest, runId: 'r1', onEvent: (e) => events.push(e) });
    expect(result.status, result.reason).toBe('passed');
    expect(result.reason).toBe('Dashboard shows Welcome, Demo');
    expect(result.agent).toBe('tinyfish');
    const request = tinyfish.requests[before];
    expect(request?.path).toBe('/v1/automation/run-sse');
    expect(request?.headers['x-api-key']).toBe('tf-key-123');
    expect(request?.json?.url).toBe('https://shop.example.com/login');
    expect(request?.json?.goal).toContain('Log in and check the dashboard says Welcome');
    expect(request?.json?.goal).toContain('{"passed"');
    expect(request?.json?.goal).toContain('shop.example.com, auth.example.com');
    expect(result.steps.map((s) => s.action)).toEqual([
      'tinyfish:start',
      'tinyfish:live',
      'tinyfish:progress',
      'tinyfish:progress',
      'verdict',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'pass', message: 'Dashboard shows Welcome, Demo' });
  });

  it('accepts the verdict as a JSON string in a code fence', async () => {
    tinyfish.script({ kind: 'pass', asString: true });
    const result = await agent().run({ test: goalTest, runId: 'r2' });
    expect(result.status, result.reason).toBe('passed');
  });

  it("fails on {passed: false} with TinyFish's reason", async () => {
    tinyfish.script({ kind: 'fail', reason: 'The page shows Internal Server Error' });
    const result = await agent().run({ test: goalTest, runId: 'r3' });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('The page shows Internal Server Error');
  });

  it.each([
    ['prose', 'I logged in and everything looks fine!'],
    ['missing passed', { reason: 'looks fine' }],
    ['string passed', { passed: 'true', reason: 'looks fine' }],
    ['empty reason', { passed: true, reason: '' }],
    ['null', null],
  ])('treats a finished run without a verdict (%s) as error, never a pass', async (_label, result) => {
    tinyfish.script({ kind: 'unclear', result });
    const run = await agent().run({ test: goalTest, runId: 'r4' });
    expect(run.status).toBe('error');
    expect(run.reason).toContain('TinyFish finished but did not say whether the goal was met');
  });

  it("reports a FAILED run as error with TinyFish's message", async () => {
    tinyfish.script({ kind: 'run-failed', error: 'Browser session crashed' });
    const result = await agent().run({ test: goalTest, runId: 'r5' });
    expect(result.status).toBe('error');
    expect(result.reason).toBe(
      'TinyFish run ended with status FAILED (Browser session crashed); no verdict.',
    );
  });

  it('reports an HTTP error with its status and the variable to check', async () => {
    const result = await agent({ apiKey: 'wrong' }).run({ test: goalTest, runId: 'r6' });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('TinyFish answered HTTP 401 — check TINYFISH_API_KEY');
    tinyfish.script({ kind: 'http-error', status: 500, body: '{"error":"internal"}' });
    const down = await agent().run({ test: goalTest, runId: 'r6b' });
    expect(down.reason).toBe('TinyFish answered HTTP 500: {"error":"internal"}');
  });

  it('reports a stream cut before COMPLETE as error', async () => {
    tinyfish.script({ kind: 'cut' });
    const result = await agent().run({ test: goalTest, runId: 'r7' });
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/closed the stream before the run completed|could not be reached/);
  });

  it('gives up at the test timeout with error', async () => {
    tinyfish.script({ kind: 'hang' });
    const result = await agent().run({ test: { ...goalTest, timeout: 1 }, runId: 'r8' });
    expect(result.status).toBe('error');
    expect(result.reason).toBe("TinyFish gave no verdict within 1 s (the test's timeout).");
  });

  it('stops and closes the stream when cancelled', async () => {
    tinyfish.script({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await agent().run({ test: goalTest, runId: 'r9', signal: controller.signal });
    expect(result.status).toBe('error');
    expect(result.reason).toBe('The run was cancelled.');
    const runId = /run_\d+/.exec(result.steps[0]?.outcome ?? '')?.[0];
    expect(runId).toBeDefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(tinyfish.abandoned).toContain(runId);
  });

  it('returns error naming TINYFISH_API_KEY when it is missing, without calling TinyFish', async () => {
    const before = tinyfish.requests.length;
    const result = await agent({ apiKey: undefined }).run({ test: goalTest, runId: 'r10' });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('TINYFISH_API_KEY is not set');
    expect(tinyfish.requests.length).toBe(before);
  });

  it('refuses private URLs without the flag and never sends secrets', async () => {
    const before = tinyfish.requests.length;
    const privateUrl = await agent().run({
      test: { ...goalTest, url: 'http://169.254.169.254/' },
      runId: 'r11',
    });
    expect(privateUrl.status).toBe('error');
    expect(privateUrl.reason).toContain('HOUSECAT_ALLOW_PRIVATE_NETWORK=1');
    const withSecrets = await agent().run({
      test: { ...goalTest, secrets: ['DEMO_PASSWORD'] },
      runId: 'r12',
      secrets: { DEMO_PASSWORD: 'canary-s3cret' },
    });
    expect(withSecrets.status).toBe('error');
    expect(withSecrets.reason).toContain('never sends secret values to TinyFish');
    expect(tinyfish.requests.length).toBe(before);
  });

  it('sends the base-URL override as the url', async () => {
    tinyfish.script({ kind: 'pass' });
    const before = tinyfish.requests.length;
    await agent({ allowPrivateNetwork: true }).run({
      test: goalTest,
      runId: 'r13',
      baseUrl: 'http://127.0.0.1:4555',
    });
    expect(tinyfish.requests[before]?.json?.url).toBe('http://127.0.0.1:4555/login');
  });
});

describe('parseVerdict', () => {
  it('reads objects and JSON strings and rejects everything else', () => {
    expect(parseVerdict({ passed: false, reason: ' no ' })).toEqual({ passed: false, reason: 'no' });
    expect(parseVerdict('{"passed":true,"reason":"ok"}')).toEqual({ passed: true, reason: 'ok' });
    expect(parseVerdict([{ passed: true, reason: 'ok' }])).toBeNull();
    expect(parseVerdict('passed: true')).toBeNull();
    expect(parseVerdict(undefined)).toBeNull();
  });
});
