/** Builders for store tests: definitions, stored tests and run results. */
import type { StoredTest } from '../../../src/core/ports.js';
import type { RunResult, TestDefinition } from '../../../src/core/types.js';

export function definition(repo: string, slug: string, over: Partial<TestDefinition> = {}): TestDefinition {
  return {
    id: `${repo.replace('/', '--')}--${slug}`,
    slug,
    repo,
    name: `Test ${slug}`,
    url: 'https://example.com/login',
    goal: 'Log in and see the dashboard',
    schedule: '*/5 * * * *',
    timeout: 120,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 20,
    allowedHosts: [],
    secrets: [],
    ...over,
  };
}

export function stored(def: TestDefinition, over: Partial<StoredTest> = {}): StoredTest {
  return { definition: def, contentHash: `hash-${def.id}`, updatedAt: 1_700_000_000_000, ...over };
}

let counter = 0;
export function run(testId: string, over: Partial<RunResult> = {}): RunResult {
  counter += 1;
  return {
    runId: `run-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    testId,
    status: 'passed',
    reason: 'The dashboard shows "Welcome"',
    agent: 'claude',
    startedAt: Date.now(),
    durationMs: 1200,
    steps: [],
    evidence: {},
    usage: { llmCalls: 1, inputTokens: 10, outputTokens: 5 },
    ...over,
  };
}
