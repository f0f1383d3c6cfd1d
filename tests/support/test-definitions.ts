/**
 * Builds resolved TestDefinitions for tests that do not go through housecat.yml.
 */
import type { TestDefinition } from '../../src/core/types.js';

export function makeTest(slug: string, overrides: Partial<TestDefinition> = {}): TestDefinition {
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: 'acme/shop',
    name: slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()),
    url: `https://shop.example.com/${slug}?ref=ci`,
    timeout: 30,
    retries: 0,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'checks',
    maxSteps: 20,
    allowedHosts: [],
    secrets: [],
    expect: { status: 200 },
    ...overrides,
  };
}
