import { expect, it } from 'vitest';
import { runTests } from '../../src/app/run-tests.js';
import type { Agent } from '../../src/core/ports.js';
import type { RunEvent, RunResult } from '../../src/core/types.js';
import { ALL_ASCII, ENCODINGS } from '../support/encodings.js';
import { makeTest } from '../support/test-definitions.js';

it('redacts a secret echoed in any encoding by any backend before results and events leave the run', async () => {
  const echoes = Object.values(ENCODINGS).map((encode) => encode(ALL_ASCII));
  // An Agent (our own port) that forgot to redact: it hands the secret back in every encoding.
  const careless: Agent = {
    async run(input) {
      const value = input.secrets?.PW ?? '';
      const forms = Object.values(ENCODINGS).map((encode) => encode(value));
      for (const form of forms) input.onEvent?.({ type: 'step', message: `typed ${form}`, at: 1 });
      return {
        runId: input.runId,
        testId: input.test.id,
        status: 'failed',
        reason: `the page said ${forms.join(' | ')}`,
        agent: input.test.agent,
        startedAt: 1,
        durationMs: 1,
        steps: forms.map((form) => ({ action: 'type', target: form, outcome: form, ok: true, at: 1 })),
        evidence: { finalUrl: `https://shop.example/echo?pw=${forms[3]}`, excerpt: forms.join(' ') },
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      } satisfies RunResult;
    },
  };
  const events: RunEvent[] = [];
  const test = makeTest('login', { secrets: ['PW'], retries: 0 });
  const outcome = await runTests(
    { agent: careless },
    {
      tests: [test],
      source: { kind: 'cli' },
      secrets: { PW: ALL_ASCII },
      reporter: { event: (_t, e) => events.push(e) },
    },
  );
  const everything = JSON.stringify(outcome.results) + JSON.stringify(events);
  for (const echo of echoes) expect(everything.includes(echo)).toBe(false);
  expect(outcome.results[0]?.reason).toContain('[secret PW]');
  expect(events).toHaveLength(echoes.length);
  for (const e of events) expect(e.message).toBe('typed [secret PW]');
});

it('leaves ids alone when a secret is also part of the test id', async () => {
  const test = makeTest('login', { secrets: ['PW'], retries: 0 });
  const owner = test.id.split('--')[0] as string;
  const echo: Agent = {
    async run(input) {
      return {
        runId: input.runId,
        testId: input.test.id,
        status: 'failed',
        reason: `${owner} said no`,
        agent: input.test.agent,
        startedAt: 1,
        durationMs: 1,
        steps: [],
        evidence: {},
        usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
      } satisfies RunResult;
    },
  };
  const outcome = await runTests(
    { agent: echo },
    { tests: [test], source: { kind: 'cli' }, secrets: { PW: owner } },
  );
  expect(outcome.results[0]?.testId).toBe(test.id);
  expect(outcome.results[0]?.reason).toBe('[secret PW] said no');
});
