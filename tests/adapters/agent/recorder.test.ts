/**
 * The recorder's one guarantee the backends lean on: after the verdict, a run reports nothing more.
 * A cancelled or timed-out run leaves work behind (a navigation, a closing page's blocked requests)
 * that may still call `step` or `finish` later; those calls must not reach the listener.
 */
import { describe, expect, it } from 'vitest';
import { createRecorder } from '../../../src/adapters/agent/recorder.js';
import type { RunEvent } from '../../../src/core/types.js';
import { makeTest } from '../../support/test-definitions.js';

function recorder() {
  const events: RunEvent[] = [];
  let now = 1_000;
  const rec = createRecorder(
    { test: makeTest('late'), runId: 'r1', onEvent: (e) => events.push(e) },
    'checks',
    { now: () => (now += 10) },
  );
  return { rec, events };
}

describe('createRecorder', () => {
  it('drops steps and a second verdict reported after the first verdict', () => {
    const { rec, events } = recorder();
    rec.step('navigate', 'opened', true);
    const result = rec.finish('error', 'The run was cancelled.');
    rec.step('blocked', 'not an allowed host', false, { target: 'https://elsewhere.example' });
    rec.finish('failed', 'page.goto: Target page, context or browser has been closed');
    expect(events.map((e) => [e.type, e.message])).toEqual([
      ['step', 'navigate: opened'],
      ['error', 'The run was cancelled.'],
    ]);
    expect(result.steps.map((s) => s.action)).toEqual(['navigate']);
  });

  it('emits no final event for a skipped run', () => {
    const { rec, events } = recorder();
    rec.finish('skipped', 'not due');
    expect(events).toEqual([]);
  });
});
