import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTinyFishAgent, parseVerdict } from '../../../../src/adapters/agent/tinyfish/index.js';
import { runTests } from '../../../../src/app/run-tests.js';
import type { RunEvent, RunResult } from '../../../../src/core/types.js';
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

  it("gives up at the test timeout with error, and cancels the run on TinyFish's side", async () => {
    tinyfish.script({ kind: 'hang' });
    const result = await agent().run({ test: { ...goalTest, timeout: 1 }, runId: 'r8' });
    const runId = /run_\d+/.exec(result.steps[0]?.outcome ?? '')?.[0] as string;
    expect(result.status).toBe('error');
    expect(result.reason).toBe(
      `TinyFish gave no verdict within 1 s (the test's timeout). TinyFish run ${runId} was cancelled.`,
    );
    // Closing the stream alone leaves TinyFish's run going (and billed): the cancel endpoint was called.
    expect(tinyfish.cancelled).toEqual(expect.arrayContaining([runId]));
    const call = tinyfish.requests.find((r) => r.path === `/v1/runs/${runId}/cancel`);
    expect(call?.method).toBe('POST');
    expect(call?.headers['x-api-key']).toBe('tf-key-123');
  });

  it("cancels TinyFish's run when the runner aborts it at HouseCat's deadline", async () => {
    tinyfish.script({ kind: 'hang' });
    const before = tinyfish.cancelled.length;
    // The runner tells the agent nothing but its signal: the deadline is its abort (run-tests.ts).
    const outcome = await runTests(
      { agent: agent() },
      { tests: [{ ...goalTest, timeout: 1, retries: 0 }], source: { kind: 'cli' } },
    );
    const result = outcome.results[0] as RunResult;
    const runId = /run_\d+/.exec(result.steps[0]?.outcome ?? '')?.[0] as string;
    expect(result.status).toBe('error');
    expect(tinyfish.cancelled.slice(before)).toEqual([runId]);
  });

  it('stops, closes the stream and cancels the run on TinyFish when cancelled', async () => {
    tinyfish.script({ kind: 'hang' });
    const controller = new AbortController();
    const result = await agent().run({
      test: goalTest,
      runId: 'r9',
      signal: controller.signal,
      // Cancelled once TinyFish has said which run it started (an event, not a timer).
      onEvent: (e) => {
        if (e.message.includes('tinyfish:progress')) controller.abort();
      },
    });
    const runId = /run_\d+/.exec(result.steps[0]?.outcome ?? '')?.[0] as string;
    expect(result.status).toBe('error');
    expect(result.reason).toBe(`The run was cancelled. TinyFish run ${runId} was cancelled.`);
    expect(tinyfish.cancelled).toContain(runId);
  });

  it("reads the API reference example's spelling too (run_id, streaming_url, result)", async () => {
    tinyfish.script({ kind: 'pass', reason: 'Welcome shown', spelling: 'reference-example' });
    const result = await agent().run({ test: goalTest, runId: 'r9b' });
    expect(result.status, result.reason).toBe('passed');
    expect(result.reason).toBe('Welcome shown');
    expect(result.steps[0]?.outcome).toMatch(/^TinyFish started run run_\d+$/);
    expect(result.steps[1]?.outcome).toMatch(/^watch live at https:\/\/stream\.tinyfish\.test\/run_\d+$/);
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
