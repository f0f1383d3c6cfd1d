import { Client } from '@upstash/qstash';
import { afterEach, describe, expect, it } from 'vitest';
import { qstashServiceError } from '../../../src/adapters/qstash/errors.js';
import { createQStashScheduler } from '../../../src/adapters/qstash/index.js';
import { ServiceError } from '../../../src/core/errors.js';
import { QSTASH_FREE_PLAN } from '../../support/qstash-plan.js';
import { type QStashServer, startQStashServer } from '../../support/qstash-server.js';

let qstash: QStashServer | undefined;
afterEach(() => qstash?.close());

const spec = (n: number) => ({
  scheduleId: `housecat-t${n}`,
  destination: `https://housecat.example.com/api/callback/t${n}`,
  cron: '*/15 * * * *',
  retries: 3,
});

describe('QStash plan limits in error messages', () => {
  it('names the schedule quota and what to do when QStash answers 412, not the cron or the callback URL', async () => {
    qstash = await startQStashServer({ plan: QSTASH_FREE_PLAN });
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    for (let i = 0; i < 10; i++) await scheduler.upsertSchedule(spec(i));
    const error = await scheduler.upsertSchedule(spec(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    const e = error as ServiceError;
    expect(e.status).toBe(412);
    expect(e.message).toMatch(/^QStash: create schedule housecat-t10 failed: HTTP 412/);
    expect(e.message).toContain('quota of active schedules is full (the Free plan allows 10');
    expect(e.message).toMatch(
      /Upgrade the QStash plan, delete schedules you no longer use .* or give fewer tests a schedule/,
    );
    expect(e.message).not.toContain('check the schedule (cron)');
    // Waiting a minute does not free a slot.
    expect(e.retryable).toBe(false);
  });

  it('names the daily message limit, when it resets, and the settings that spend it on a daily-limit 429', async () => {
    qstash = await startQStashServer({ plan: { dailyMessages: 1 }, start: Date.UTC(2026, 2, 3, 9, 30) });
    const client = new Client({
      baseUrl: qstash.url,
      token: qstash.token,
      devMode: false,
      enableTelemetry: false,
      retry: false,
    });
    await client.publish({ url: 'https://housecat.example.com/api/watchdog', body: '' });
    const raw = await client
      .publish({ url: 'https://housecat.example.com/api/watchdog', body: '' })
      .catch((x: unknown) => x);
    const e = qstashServiceError('publish', raw, qstash.url, {});
    expect(e.status).toBe(429);
    expect(e.message).toContain(
      "QStash's daily message limit is used up (1 messages a day on this plan; the Free plan has 1,000)",
    );
    expect(e.message).toContain('resets at 2026-03-04 00:00 UTC');
    expect(e.message).toContain('HOUSECAT_WATCHDOG_MINUTES');
    expect(e.message).toContain('upgrade the QStash plan');
    expect(e.retryable).toBe(false);
  });

  it('keeps a per-second 429 retryable and tells to wait seconds, not to upgrade', async () => {
    qstash = await startQStashServer();
    qstash.failNext({ status: 429, route: 'createSchedule' });
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    const e = (await scheduler.upsertSchedule(spec(1)).catch((x: unknown) => x)) as ServiceError;
    expect(e.status).toBe(429);
    expect(e.message).toContain('per-second rate limit');
    expect(e.message).not.toContain('upgrade');
    expect(e.retryable).toBe(true);
  });
});
