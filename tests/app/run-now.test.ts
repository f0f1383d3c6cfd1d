/**
 * A scheduled or manual run of a test this process's environment cannot run (a goal test without
 * its key) is not run: it is recorded as `error` naming the fix, and logged as an error, so it never
 * sits as a silent error forever.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { runTestNow } from '../../src/app/run-now.js';
import type { IssueTracker } from '../../src/core/incidents/tracker.js';
import type { Agent } from '../../src/core/ports.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { makeTest } from '../support/test-definitions.js';

const store = createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('run-now') })!;
afterAll(() => store.close());

describe('runTestNow', () => {
  it('records an error naming the missing key, and logs it, when the environment cannot run the test', async () => {
    const ran: string[] = [];
    // Our Agent port, counting calls: the environment check must stop the run before it.
    const agent: Agent = {
      run: async (input) => {
        ran.push(input.test.id);
        throw new Error('not expected to run');
      },
    };
    const unused = (): never => {
      throw new Error('the incident tracker is not expected to be called for an inconclusive run');
    };
    const tracker = {
      ensureIncidentIssue: unused,
      getIssue: unused,
      findIncidentIssue: unused,
      comment: unused,
      close: unused,
    } as IssueTracker;
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (m: string) => errors.push(m) };
    const clock = { now: () => Date.now() };
    const test = makeTest('goal', { agent: 'claude', goal: 'log in', expect: undefined });
    const outcome = await runTestNow(
      {
        store,
        agent,
        clock,
        logger,
        maxRunMs: 10_000,
        incident: { store, tracker, clock },
        environment: { anthropicKey: false, tinyfishKey: false, allowPrivateNetwork: false },
      },
      test,
      { kind: 'schedule' },
    );
    expect(ran).toEqual([]);
    expect(outcome.kind).toBe('ran');
    const [stored] = await store.getResults(test.id, { limit: 1 });
    expect(stored?.status).toBe('error');
    expect(stored?.reason).toContain('ANTHROPIC_API_KEY is not set');
    expect(errors.join('\n')).toContain(`${test.id}: HouseCat's app cannot run this test here`);
  });
});
