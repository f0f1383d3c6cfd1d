/**
 * The replayer on its own, with hand-written scripts against pages served here and a real Chromium:
 * how it waits between actions, and how it words a divergence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayScript } from '../../../../src/adapters/agent/replay/replayer.js';
import { BrowserPool } from '../../../../src/adapters/browser/browser-pool.js';
import type { ReplayScript } from '../../../../src/core/replay/index.js';
import type { ReplayStep } from '../../../../src/core/types.js';
import { type StaticServer, startStaticServer } from '../../../support/static-server.js';
import { requireChromium } from '../../../support/system.js';
import { makeTest } from '../../../support/test-definitions.js';

let site: StaticServer;
let pool: BrowserPool;

// A single-page app: the button fetches the greeting and renders it in place, 300 ms later.
const SPA = `<!doctype html><html><body><main id="app"><button id="go">Load greeting</button></main>
<script>
document.getElementById('go').addEventListener('click', async () => {
  const text = await (await fetch('/api/greeting')).text();
  document.getElementById('app').innerHTML = '<p>' + text + '</p><button>Continue</button>';
});
</script></body></html>`;

beforeAll(async () => {
  site = await startStaticServer({
    '/spa': SPA,
    '/api/greeting': { body: 'Hello, Demo', type: 'text/plain', delayMs: 300 },
    '/twice': '<!doctype html><html><body><button>Save</button><button>Save</button></body></html>',
  });
  pool = new BrowserPool({ env: { HOUSECAT_CHROMIUM: requireChromium() } });
});

afterAll(async () => {
  await pool?.close();
  await site?.close();
});

function scriptFor(steps: ReplayStep[], textVisible: string[]): ReplayScript {
  return {
    testId: 't',
    contentHash: 'h',
    recordedAt: 0,
    model: 'claude-test',
    steps,
    evidence: { textVisible },
  };
}

const testAt = (path: string) =>
  makeTest('t', { url: `${site.url}${path}`, agent: 'claude', goal: 'x', expect: undefined, timeout: 20 });

/** A script of one click on the button named `name`, on /twice, that expects `evidence`. */
const clickOn = (name: string, evidence: string): ReplayScript =>
  scriptFor(
    [{ action: 'click', target: { by: 'role', role: 'button', name }, after: `${site.url}/twice` }],
    [evidence],
  );

const replay = (path: string, script: ReplayScript, elementWaitMs?: number) =>
  replayScript(
    { pool, allowPrivateNetwork: true, ...(elementWaitMs !== undefined ? { elementWaitMs } : {}) },
    { test: testAt(path), runId: 'r' },
    script,
  );

describe('replayScript', () => {
  it('replays a single-page app whose click renders in place after a fetch', async () => {
    const outcome = await replay(
      '/spa',
      scriptFor(
        [
          {
            action: 'click',
            target: { by: 'role', role: 'button', name: 'Load greeting' },
            after: `${site.url}/spa`,
          },
          {
            action: 'click',
            target: { by: 'role', role: 'button', name: 'Continue' },
            after: `${site.url}/spa`,
          },
        ],
        ['Hello, Demo'],
      ),
    );
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    expect(outcome.steps.map((s) => s.action)).toEqual([
      'replay:navigate',
      'replay:click',
      'replay:click',
      'replay:evidence',
    ]);
  });

  it('names an element that now matches twice as ambiguous, at its step', async () => {
    const outcome = await replay('/twice', clickOn('Save', 'Saved'));
    expect(outcome).toMatchObject({
      ok: false,
      step: 1,
      problem: "button 'Save' is ambiguous (2 elements match)",
    });
  });

  it('names an element that is gone as not found, at its step', async () => {
    // The button can only fail to come: a short wait for it.
    const outcome = await replay('/twice', clickOn('Publish', 'Published'), 300);
    expect(outcome).toMatchObject({ ok: false, step: 1, problem: "button 'Publish' not found" });
  });

  it('does not pass when the recorded evidence is not on the page', async () => {
    const outcome = await replay('/twice', scriptFor([], ['Welcome, Demo']));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.step).toBe(1);
    expect(outcome.problem).toContain('the text "Welcome, Demo" is not visible on the page');
  });
});
