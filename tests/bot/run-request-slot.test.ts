/**
 * `/housecat run` takes a run slot like a scheduled delivery: with every slot busy, nothing runs on
 * top of the bound (before, it ran regardless). The request waits in the durable outbox and runs
 * once a slot is free (GitHub would never send the comment again, so it is not refused).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('runs the request once the only slot is free, never on top of the bound', async () => {
    h.agent.verdict.set(SLOW.id, { status: 'passed', delayMs: 3000 });
    const holding = deliverScheduled(h.url, h.signing.current, SLOW.id);
    await vi.waitFor(() => expect(h.agent.calls.some((c) => c.test.id === SLOW.id)).toBe(true), {
      timeout: 10_000,
      interval: 20,
    });
    expect(await comment('/housecat run')).toBe(200);
    expect(h.agent.calls.filter((c) => c.test.id === ASKED.id)).toHaveLength(0);
    expect((await holding).status).toBe(200);
    await vi.waitFor(
      () =>
        expect(h.gh.commentsOf(REPO, issueNumber).at(-1)?.body ?? '').toContain('Run requested by @alice'),
      { timeout: 20_000, interval: 50 },
    );
    expect(h.agent.calls.filter((c) => c.test.id === ASKED.id)).toHaveLength(1);
    const [slow] = await h.store.getResults(SLOW.id, { limit: 1 });
    const [asked] = await h.store.getResults(ASKED.id, { limit: 1 });
    expect(asked!.startedAt).toBeGreaterThanOrEqual(slow!.startedAt + slow!.durationMs);
  });
});
