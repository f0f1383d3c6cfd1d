/**
 * Issue 29: a failing goal run keeps what the agent saw — JPEG views of the failed step and the two
 * before it, and with `trace: on-failure` a Playwright trace.zip — and none of it holds the secret
 * the agent typed, in any encoding, although the page echoes it back (`/leaky`).
 */
import { describe, expect, it } from 'vitest';
import { createClaudeAgent } from '../../../../src/adapters/agent/claude/claude-agent.js';
import type { TestDefinition } from '../../../../src/core/types.js';
import { useAgentHarness } from '../../../support/agent-harness.js';
import { loginPolicy } from '../../../support/anthropic-server.js';
import { DEMO_PASSWORD, DEMO_USER } from '../../../support/fixture-apps.js';
import { makeLoginGoalTest } from '../../../support/test-definitions.js';
import { jsonLines, unzipEntries } from '../../../support/zip-entries.js';

const h = useAgentHarness();

/** The secret as plain text, URL- and form-encoded, and base64 at each of its three alignments. */
function secretForms(value: string): string[] {
  const b64 = [0, 1, 2].map((k) => {
    const encoded = Buffer.concat([Buffer.alloc(k, 'x'), Buffer.from(value)]).toString('base64');
    return encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + value.length)) / 6));
  });
  return [value, encodeURIComponent(value), new URLSearchParams({ p: value }).toString().slice(2), ...b64];
}

async function failingRun(overrides: Partial<TestDefinition>) {
  h.llm.respond(
    loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Nobody' }),
  );
  const agent = createClaudeAgent({ env: h.env, pool: h.pool, maxRetries: 1 });
  return agent.run({
    test: makeLoginGoalTest({ url: `${h.apps.url}/leaky/login`, ...overrides }),
    runId: 'run-shots',
    secrets: { DEMO_PASSWORD },
  });
}

describe('what the agent saw', () => {
  it('keeps JPEG views of the failed step and the two before it, and a scrubbed trace', async () => {
    const result = await failingRun({ trace: 'on-failure' });
    expect(result.status).toBe('failed');
    const shots = result.evidence.stepShots ?? [];
    expect(shots).toHaveLength(3);
    const last = result.steps.length - 1;
    expect(shots.map((s) => s.step)).toEqual([last - 2, last - 1, last]);
    expect(result.steps[last]?.action).toBe('verdict');
    for (const shot of shots) {
      const jpeg = Buffer.from(shot.jpegBase64, 'base64');
      expect(jpeg.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      // Quality 50 of a 1280×720 viewport: tens of KB, well under the 200 KB cap per view.
      expect(shot.jpegBase64.length).toBeLessThan(200 * 1024);
    }

    const zip = Buffer.from(result.evidence.traceBase64 ?? '', 'base64');
    console.info(
      `views: ${shots.map((s) => `${Math.round((s.jpegBase64.length * 3) / 4 / 1024)} KB`).join(', ')}; trace.zip ${Math.round(zip.length / 1024)} KB`,
    );
    const entries = await unzipEntries(zip);
    expect([...entries.keys()]).toEqual(expect.arrayContaining(['trace.trace', 'trace.network']));
    const events = jsonLines(entries.get('trace.trace') as Buffer) as {
      type: string;
      method?: string;
      params?: Record<string, unknown>;
    }[];
    jsonLines(entries.get('trace.network') as Buffer);
    expect(events[0]?.type).toBe('context-options');
    // The harness typed the secret with fill(): the trace recorded the call, with the value scrubbed.
    const fills = events.filter((e) => e.type === 'before' && e.method === 'fill');
    expect(fills.length).toBeGreaterThan(0);
    expect(JSON.stringify(fills)).toContain('[secret DEMO_PASSWORD]');

    const everything = [
      ...[...entries.values()].map((b) => b.toString('latin1')),
      JSON.stringify({
        ...result,
        evidence: { ...result.evidence, traceBase64: '', stepShots: shots.map((s) => s.label) },
      }),
    ].join('\n');
    for (const form of secretForms(DEMO_PASSWORD)) expect(everything.includes(form), form).toBe(false);
  });

  it('keeps no trace without `trace: on-failure`, and no views for a passing run', async () => {
    const failed = await failingRun({});
    expect(failed.evidence.traceBase64).toBeUndefined();
    expect(failed.evidence.stepShots?.length).toBeGreaterThan(0);
    h.llm.respond(
      loginPolicy({ username: DEMO_USER, secretName: 'DEMO_PASSWORD', expectText: 'Welcome, Demo' }),
    );
    const agent = createClaudeAgent({ env: h.env, pool: h.pool, maxRetries: 1 });
    const passed = await agent.run({
      test: makeLoginGoalTest({ url: `${h.apps.url}/ok/login`, trace: 'on-failure' }),
      runId: 'run-pass',
      secrets: { DEMO_PASSWORD },
    });
    expect(passed.status).toBe('passed');
    expect(passed.evidence.stepShots).toBeUndefined();
    expect(passed.evidence.traceBase64).toBeUndefined();
  });
});
