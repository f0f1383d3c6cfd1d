/**
 * `/housecat run` takes a run slot like a scheduled delivery: with every slot busy, the comment gets
 * a friendly reply and nothing runs on top of the bound (before, it ran regardless).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentMarker } from '../../src/core/incidents/render.js';
import { makeTest } from '../support/test-definitions.js';
import { deliverScheduled, type Harness, startHarness, WEBHOOK_SECRET } from './harness.js';

const REPO = 'acme/shop';
const SLOW = makeTest('slot-holder');
const ASKED = makeTest('slot-asked');

describe('/housecat run with every run slot busy', () => {
  let h: Harness;
  let issueNumber: number;

  beforeAll(async () => {
    h = await startHarness({ maxParallelRuns: 1, maxRunMs: 10_000 });
    h.gh.setPermission(REPO, 'alice', 'write');
    await h.addTest(SLOW);
    await h.addTest(ASKED);
    issueNumber = h.gh.seedIssue(REPO, { title: 'asked', body: `${incidentMarker(ASKED.id)}\nbody` }).number;
  });
  afterAll(() => h.close());

  async function comment(body: string) {
    const payload = {
      action: 'created',
      issue: { number: issueNumber, body: `${incidentMarker(ASKED.id)}\nbody`, title: 'asked' },
      comment: { id: 1, body, user: { login: 'alice', type: 'User' } },
      repository: { full_name: REPO, name: 'shop', owner: { login: 'acme' } },
      sender: { login: 'alice', type: 'User' },
      installation: { id: 11 },
    };
    const text = JSON.stringify(payload);
    const res = await fetch(`${h.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issue_comment',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(text).digest('hex')}`,
      },
      body: text,
    });
    return res.status;
  }

  it('replies that HouseCat is busy and runs nothing when the only slot is taken', async () => {
    h.agent.verdict.set(SLOW.id, { status: 'passed', delayMs: 3000 });
    const holding = deliverScheduled(h.url, h.signing.current, SLOW.id);
    for (let i = 0; i < 100 && !h.agent.calls.some((c) => c.test.id === SLOW.id); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await comment('/housecat run')).toBe(200);
    expect(h.agent.calls.filter((c) => c.test.id === ASKED.id)).toHaveLength(0);
    const reply = h.gh.commentsOf(REPO, issueNumber).at(-1)?.body ?? '';
    expect(reply).toContain('@alice HouseCat is running 1 tests right now');
    expect((await holding).status).toBe(200);
    // With the slot free again, the same request runs.
    expect(await comment('/housecat run')).toBe(200);
    expect(h.agent.calls.filter((c) => c.test.id === ASKED.id)).toHaveLength(1);
  });
});
