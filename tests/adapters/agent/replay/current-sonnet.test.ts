/**
 * Issue 22's "done when" for the model: against the Anthropic stand-in behaving like the current
 * Sonnet (thinks by default, signs its thinking, counts it against max_tokens, refuses what the
 * model refuses), a goal that needs six browser actions passes, its recorded replay then passes with
 * zero model calls, and the same test fails when the site breaks. Real SDK, real Chromium, the
 * fixture app, scripts in the real redis-server.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../../src/adapters/agent/index.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import { MODEL_BEHAVIOUR } from '../../../support/anthropic-models.js';
import {
  findRef,
  latestObservation,
  type Responder,
  toolsCalled,
  verdict,
} from '../../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../../support/fixture-apps.js';
import { makeLoginGoalTest } from '../../../support/test-definitions.js';

const h = useAgentHarness({ replay: 'sonnet' });

const test = makeLoginGoalTest({
  id: 'acme--shop--settings',
  slug: 'settings',
  name: 'Settings',
  goal: 'Sign in as demo with DEMO_PASSWORD (remember me), check the dashboard says "Welcome, Demo", pick the United States region, then open Settings.',
});

/** The six actions: tool, the element it acts on (role, name), and its other input. */
const PLAN: [string, string, string, Record<string, unknown>][] = [
  ['type', 'textbox', 'Username', { text: DEMO_USER }],
  ['type_secret', 'textbox', 'Password', { name: 'DEMO_PASSWORD' }],
  ['click', 'checkbox', 'Remember me', {}],
  ['click', 'button', 'Sign in', {}],
  ['select', 'combobox', 'Region', { option: 'United States' }],
  ['click', 'link', 'Settings', {}],
];

/** A "model" that needs six actions: two fields, a checkbox, the button, a select and a link. */
const sixActions: Responder = (body) => {
  const seen = latestObservation(body);
  const done = toolsCalled(body).length;
  if (done === 4 && !seen.includes('Welcome, Demo')) {
    const heading = /heading "([^"]+)"/.exec(seen)?.[1] ?? 'no heading';
    return verdict(false, `After signing in the dashboard shows "${heading}", not "Welcome, Demo".`);
  }
  const planned = PLAN[done];
  if (!planned) {
    return {
      tools: [
        {
          name: 'verdict',
          input: {
            passed: true,
            reason: 'Signed in, picked the region and opened Settings.',
            evidence: { text_visible: ['settings'], url_contains: '/settings' },
          },
        },
      ],
    };
  }
  const [tool, role, name, input] = planned;
  const ref = findRef(seen, role, name);
  if (!ref) return verdict(false, `The ${role} "${name}" is missing from the page.`);
  return { tools: [{ name: tool, input: { ref, ...input } }] };
};

async function run(responder: Responder) {
  h.llm.respond(responder);
  const first = h.llm.calls.length;
  const agent = createAgent({ env: h.env, pool: h.pool, replay: h.scripts });
  const result = await agent.run({
    test: { ...test, url: `${h.apps.url}/live/login` },
    runId: `run-${Math.random().toString(36).slice(2, 8)}`,
    secrets: { DEMO_PASSWORD },
  });
  return { result, calls: h.llm.calls.slice(first) };
}

describe('against the current Sonnet', () => {
  it('passes a six-action goal, replays it with 0 model calls, and fails when the site breaks', async () => {
    expect(MODEL_BEHAVIOUR['claude-sonnet-5-5']?.thinkingByDefault).toBe('adaptive');
    const first = await run(sixActions);
    expect(first.result.reason).not.toContain('max_tokens');
    expect(first.result.status).toBe('passed');
    expect(first.result.mode).toBe('agent');
    expect(first.result.steps.filter((s) => s.action !== 'navigate' && s.action !== 'verdict')).toHaveLength(
      6,
    );
    // Seven model calls, none refused, each with room to think and the lightest thinking 5.5 accepts.
    expect(first.calls.map((c) => c.status)).toEqual(Array(7).fill(200));
    for (const call of first.calls) {
      expect(call.body.model).toBe('claude-sonnet-5-5');
      expect(call.body.thinking).toEqual({ type: 'between_tools' });
      expect(call.body.max_tokens).toBeGreaterThanOrEqual(8_000);
      expect(call.body.max_tokens).toBeLessThanOrEqual(21_333);
    }
    // The model's progress notes came back with their signatures, unchanged, after each tool call.
    const thought = first.calls.flatMap((c) => c.reply?.content.filter((b) => b.type === 'thinking') ?? []);
    expect(thought.length).toBeGreaterThan(0);
    const last = JSON.stringify(first.calls.at(-1)?.body.messages);
    for (const block of thought.slice(0, -1)) expect(last).toContain(JSON.stringify(block));
    expect(first.result.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(first.result.usage.costUsd).toBeGreaterThan(0);

    const replayed = await run(() => ({ status: 500, message: 'the model must not be asked' }));
    expect(replayed.calls).toHaveLength(0);
    expect(replayed.result.status).toBe('passed');
    expect(replayed.result.mode).toBe('replay');

    // The button is gone: the replay diverges at its click, the model runs and reports it.
    h.apps.setLive('missing');
    const broken = await run(sixActions);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.reason).toContain("replay: button 'Sign in' not found");
    expect(broken.result.reason).toContain('The button "Sign in" is missing from the page.');
    expect(broken.calls.every((c) => c.status === 200)).toBe(true);
  });
});
