import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidentMarker } from '../../src/core/incidents/render.js';
import type { Incident } from '../../src/core/types.js';
import { makeTest } from '../support/test-definitions.js';
import { type Harness, startHarness, WEBHOOK_SECRET } from './harness.js';

// The package is CommonJS JSON: load it the way Node does.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
const REPO = 'Codertocat/Hello-World'; // the repository of the real example payloads
const TEST = makeTest('login', { id: 'codertocat--hello-world--login', repo: REPO });
const OTHER = makeTest('foreign', { id: 'acme--shop--foreign', repo: 'acme/shop' });

// biome-ignore-start lint/suspicious/noExplicitAny: example payloads are edited field by field
/** A real example payload of `event` with `action`, deep-copied. */
function example(event: string, action: string): Record<string, any> {
  const def = examples.find((e) => e.name === event);
  const payload = def?.examples.find((e) => (e as { action?: string }).action === action);
  if (!payload) throw new Error(`no ${event}.${action} example in @octokit/webhooks-examples`);
  return structuredClone(payload) as Record<string, any>;
}
// biome-ignore-end lint/suspicious/noExplicitAny: example payloads are edited field by field

describe('GitHub webhooks', () => {
  let h: Harness;
  let issueNumber: number;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addInstallation(21, [REPO]);
    h.gh.setPermission(REPO, 'Codertocat', 'write');
    h.gh.setPermission(REPO, 'octo-reader', 'read');
    await h.addTest(TEST);
    await h.addTest(OTHER);
    issueNumber = h.gh.seedIssue(REPO, {
      title: '🔴 login is failing',
      body: `${incidentMarker(TEST.id)}\nbody`,
    }).number;
  });
  afterAll(() => h.close());

  async function send(
    event: string,
    payload: Record<string, unknown>,
    options: { delivery?: string; secret?: string } = {},
  ) {
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
      .update(body)
      .digest('hex')}`;
    const res = await fetch(`${h.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': options.delivery ?? randomUUID(),
        'x-hub-signature-256': signature,
      },
      body,
    });
    return res.status;
  }

  /** The webhook is answered at once; its work is done from the outbox afterwards. */
  const eventually = (check: () => void | Promise<void>) =>
    vi.waitFor(check, { timeout: 15_000, interval: 20 });
  /** Everything saved from webhooks so far has been carried out. */
  const settled = () =>
    eventually(async () => {
      expect(await h.store.outbox.pending(TEST.id)).toEqual([]);
    });

  function runComment(overrides: { body?: string; login?: string; issueBody?: string } = {}) {
    const p = example('issue_comment', 'created');
    p.comment.body = overrides.body ?? '/housecat run';
    p.comment.user.login = overrides.login ?? 'Codertocat';
    p.sender.login = overrides.login ?? 'Codertocat';
    p.issue.number = issueNumber;
    p.issue.body = overrides.issueBody ?? `${incidentMarker(TEST.id)}\nbody`;
    p.installation = { id: 21, node_id: 'x' };
    return p;
  }

  it('runs the test and replies when someone with write access comments /housecat run', async () => {
    h.agent.verdict.set(TEST.id, { status: 'failed', reason: 'button "Log in" is missing' });
    const calls = h.agent.calls.length;
    expect(await send('issue_comment', runComment())).toBe(200);
    await settled();
    expect(h.agent.calls.length).toBe(calls + 1);
    const reply = h.gh.commentsOf(REPO, issueNumber).at(-1);
    expect(reply?.body).toContain('Run requested by @Codertocat: **failed**');
    expect(reply?.body).toContain('button "Log in" is missing');
    expect((await h.store.getResults(TEST.id, { limit: 1 }))[0]?.source).toEqual({ kind: 'manual' });
  });

  it('processes a repeated X-GitHub-Delivery once', async () => {
    const delivery = randomUUID();
    const calls = h.agent.calls.length;
    const comments = h.gh.commentsOf(REPO, issueNumber).length;
    expect(await send('issue_comment', runComment(), { delivery })).toBe(200);
    expect(await send('issue_comment', runComment(), { delivery })).toBe(200);
    await settled();
    expect(h.agent.calls.length).toBe(calls + 1);
    expect(h.gh.commentsOf(REPO, issueNumber).length).toBe(comments + 1);
  });

  it('refuses a run to someone without write access', async () => {
    const calls = h.agent.calls.length;
    await send('issue_comment', runComment({ login: 'octo-reader' }));
    await settled();
    expect(h.agent.calls.length).toBe(calls);
    expect(h.gh.commentsOf(REPO, issueNumber).at(-1)?.body).toContain('only people with write access');
  });

  it('ignores comments without the command and issues without the marker', async () => {
    const calls = h.agent.calls.length;
    const comments = h.gh.commentsOf(REPO, issueNumber).length;
    await send('issue_comment', runComment({ body: 'looks like /housecat running is broken' }));
    await send('issue_comment', runComment({ issueBody: `quoted:\n${incidentMarker(TEST.id)}` }));
    await settled();
    expect(h.agent.calls.length).toBe(calls);
    expect(h.gh.commentsOf(REPO, issueNumber).length).toBe(comments);
  });

  it('does not run a test of another repository named by a pasted marker', async () => {
    const calls = h.agent.calls.length;
    await send('issue_comment', runComment({ issueBody: `${incidentMarker(OTHER.id)}\npasted` }));
    await eventually(async () => expect(await h.store.outbox.pending(OTHER.id)).toEqual([]));
    expect(h.agent.calls.length).toBe(calls);
  });

  it('rejects a webhook signed with another secret and runs nothing', async () => {
    const calls = h.agent.calls.length;
    const status = await send('issue_comment', runComment(), { secret: 'wrong' });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(h.agent.calls.length).toBe(calls);
  });

  it('acknowledges the incident when a person closes the issue, and ignores its own closes', async () => {
    const incident: Incident = {
      testId: TEST.id,
      repo: REPO,
      status: 'open',
      issueNumber,
      since: Date.now() - 60_000,
      openedAt: Date.now(),
      lastFailureAt: Date.now(),
      lastReason: 'x',
      failedRuns: 2,
    };
    await h.store.saveIncident(incident);
    const closed = example('issues', 'reopened');
    closed.action = 'closed';
    closed.issue.state = 'closed';
    closed.issue.number = issueNumber;
    closed.issue.body = `${incidentMarker(TEST.id)}\nbody`;
    closed.sender = { ...closed.sender, login: 'housecat[bot]', type: 'Bot' };
    expect(await send('issues', closed)).toBe(200);
    await settled();
    expect((await h.store.getIncident(TEST.id))?.status).toBe('open');
    closed.sender = { ...closed.sender, login: 'Codertocat', type: 'User' };
    expect(await send('issues', closed)).toBe(200);
    await eventually(async () => expect((await h.store.getIncident(TEST.id))?.status).toBe('acknowledged'));
  });
});
