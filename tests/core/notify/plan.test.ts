import { describe, expect, it } from 'vitest';
import { readChannels } from '../../../src/core/notify/channels.js';
import type { AlertMessage } from '../../../src/core/notify/message.js';
import { alertText } from '../../../src/core/notify/message.js';
import { planAlerts } from '../../../src/core/notify/plan.js';
import { makeTest } from '../../support/test-definitions.js';

const message: AlertMessage = {
  event: 'resolved',
  testId: 'acme--shop--a',
  testName: 'A',
  repo: 'acme/shop',
  url: 'https://a.example.com',
  since: 1000,
  at: 5000,
  summary: { downtimeMs: 3_720_000, failedRuns: 4, runs: 6, p50Ms: 120, p95Ms: 900, measure: 'response' },
  links: { issue: 'https://github.com/acme/shop/issues/3' },
};

describe('alert routing', () => {
  let n = 0;
  const newId = () => `id-${n++}`;

  it('queues one item per routed channel, keyed per channel, incident and event', () => {
    const test = makeTest('a', { notify: ['ops', 'team'] });
    const items = planAlerts({ test, event: 'resolved', message, now: 5000, newId });
    expect(items.map((i) => [i.channel, i.key])).toEqual([
      ['ops', 'ops:acme--shop--a:1000:resolved'],
      ['team', 'team:acme--shop--a:1000:resolved'],
    ]);
  });

  it('sends only the events notify_on lists (default: opened and resolved)', () => {
    const test = makeTest('a', { notify: ['ops'] });
    expect(planAlerts({ test, event: 'reason_changed', message, now: 1, newId })).toEqual([]);
    expect(planAlerts({ test, event: 'opened', message, now: 1, newId })).toHaveLength(1);
    // A missed incident's recovery is told only to channels that were told it was missed.
    expect(planAlerts({ test, event: 'resolved', missedIncident: true, message, now: 1, newId })).toEqual([]);
  });

  it('writes the resolved summary in the text part', () => {
    const text = alertText(message);
    expect(text).toContain('Downtime: 1 h 2 min');
    expect(text).toContain('Runs: 6 (4 failed)');
    expect(text).toContain('p50 120 ms, p95 900 ms');
  });
});

describe('channels from the environment', () => {
  it('reads each kind, and a webhook with its secret', () => {
    const { channels, problems } = readChannels({
      HOUSECAT_NOTIFY_OPS: 'slack+https://hooks.slack.com/services/T0/B0/x',
      HOUSECAT_NOTIFY_HOOK: 'webhook+https://example.com/in',
      HOUSECAT_NOTIFY_HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      HOUSECAT_NOTIFY_MAIL: 'smtps://u:p@mail.example.com?from=a@example.com&to=b@example.com,c@example.com',
      HOUSECAT_NOTIFY_LOCAL: 'teams+http://localhost:8080/hook',
    });
    expect(problems).toEqual([]);
    expect(channels.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'hook:webhook',
      'local:teams',
      'mail:smtp',
      'ops:slack',
    ]);
    expect(channels.find((c) => c.name === 'mail')?.smtp).toMatchObject({
      port: 465,
      secure: true,
      to: ['b@example.com', 'c@example.com'],
    });
  });

  it('names the variable of each bad value and never repeats the URL', () => {
    const { problems } = readChannels({
      HOUSECAT_NOTIFY_A: 'https://hooks.slack.com/services/T0/B0/token-a',
      HOUSECAT_NOTIFY_B: 'pagerduty+https://events.example.com/token-b',
      HOUSECAT_NOTIFY_C: 'discord+http://discord.com/api/webhooks/1/token-c',
      HOUSECAT_NOTIFY_D: 'webhook+https://example.com/in',
      HOUSECAT_NOTIFY_D_SECRET: 'not-a-secret',
    });
    expect(problems).toHaveLength(4);
    for (const [i, v] of ['A', 'B', 'C', 'D_SECRET'].entries())
      expect(problems[i]).toContain(`HOUSECAT_NOTIFY_${v}`);
    expect(problems.join('\n')).not.toMatch(/token-|not-a-secret/);
  });
});
