/**
 * The `checks` test the serve benches (capacity, replicas) load the app with: status 200 and "Sign in"
 * on the fixture login page, one attempt, a 60 s timeout, an incident on the first failure.
 * `schedule` is stored as resolve.ts stores it: `H` resolved for the id, and its second of the minute.
 */
import { scheduledCron, scheduledSecond } from '../src/core/scheduling/hashed-cron.js';
import type { TestDefinition } from '../src/core/types.js';
import { makeTest } from '../tests/support/test-definitions.js';

/** `acme--shop--{slug}` checking `{appsUrl}/ok/login`. */
export function loginChecksTest(slug: string, appsUrl: string, schedule?: string): TestDefinition {
  const id = `acme--shop--${slug}`;
  const second = schedule ? scheduledSecond(schedule, id, false) : 0;
  return makeTest(slug, {
    name: slug,
    url: `${appsUrl}/ok/login`,
    ...(schedule ? { schedule: scheduledCron(schedule, id, false) } : {}),
    ...(second > 0 ? { scheduleSecond: second } : {}),
    timeout: 60,
    failureThreshold: 1,
    maxSteps: 1,
    expect: { status: 200, text: ['Sign in'] },
  });
}
