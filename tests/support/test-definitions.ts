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

/** The goal of the fixture app's login, as the claude-agent tests ask for it. */
export const LOGIN_GOAL =
  'Sign in as demo with the DEMO_PASSWORD secret and check the dashboard says "Welcome, Demo".';

/** A claude goal test of the fixture login (`url` and anything else from `overrides`). */
export function makeLoginGoalTest(overrides: Partial<TestDefinition> = {}): TestDefinition {
  return {
    id: 'acme--shop--login',
    slug: 'login',
    repo: 'acme/shop',
    name: 'Login',
    url: '',
    goal: LOGIN_GOAL,
    timeout: 60,
    retries: 0,
    failureThreshold: 1,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 25,
    allowedHosts: [],
    secrets: ['DEMO_PASSWORD'],
    ...overrides,
  };
}
