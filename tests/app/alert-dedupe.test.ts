/**
 * Two copies of the same alert (the same incident event decided twice: a lease that lapsed under a
 * slow decision, two replicas) are sent once, even with two drainers at the same moment: one
 * drainer at a time per channel queue, and a sent key is remembered before its item goes. Real
 * redis-server, the Slack stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/adapters/notify/index.js';
import { createStore } from '../../src/adapters/store/index.js';
import { type DrainDeps, drainOutbox } from '../../src/app/outbox-pass.js';
import type { NotifyItem } from '../../src/core/incidents/outbox.js';
import { readChannels } from '../../src/core/notify/channels.js';
import type { AlertStandIn } from '../support/alert-stand-in.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { SLACK_PATH, startSlackServer } from '../support/slack-server.js';

describe('an alert queued twice', () => {
  let slack: AlertStandIn;
  let deps: DrainDeps;

  beforeAll(async () => {
    slack = await startSlackServer();
    const { channels } = readChannels({ HOUSECAT_NOTIFY_OPS: `slack+${slack.url}${SLACK_PATH}` });
    deps = {
      store: createStore({ REDIS_URL: testRedisUrl() }, { prefix: uniquePrefix('alert-dedupe') })!,
      tracker: {} as DrainDeps['tracker'],
      clock: { now: () => Date.now() },
      logger: { info() {}, warn() {}, error() {} },
      notify: { notifier: createNotifier(channels), githubWeb: 'https://github.com' },
    };
  });
  afterAll(async () => {
    await deps.store.close();
    await slack.close();
  });

  it('is sent once, by whichever of two drainers gets the channel', async () => {
    const since = Date.now() - 60_000;
    const copy = (id: string): NotifyItem => ({
      id,
      kind: 'notify',
      channel: 'ops',
      event: 'opened',
      key: `ops:acme--shop--a:${since}:opened`,
      testId: 'acme--shop--a',
      repo: 'acme/shop',
      since,
      createdAt: Date.now(),
      attempts: 0,
      message: {
        event: 'opened',
        testId: 'acme--shop--a',
        testName: 'A',
        repo: 'acme/shop',
        url: 'https://a.example.com',
        since,
        at: Date.now(),
        links: {},
      },
    });
    await deps.store.outbox.commit({ work: [copy('one')] });
    await deps.store.outbox.commit({ work: [copy('two')] });
    const reports = await Promise.all([drainOutbox(deps), drainOutbox(deps)]);
    // Whichever drainer was held off by the lease, the queue ends empty.
    const left = await deps.store.outbox.pending('notify:ops');
    if (left.length > 0) await drainOutbox(deps);
    expect(await deps.store.outbox.pending('notify:ops')).toEqual([]);
    expect(reports.reduce((n, r) => n + r.done, 0)).toBeGreaterThanOrEqual(1);
    expect(slack.accepted()).toHaveLength(1);
  });
});
