import { Client, QstashDailyRatelimitError, QstashError } from '@upstash/qstash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QSTASH_FREE_PLAN, type QStashPlanLimits } from './qstash-plan.js';
import { type QStashServer, startQStashServer } from './qstash-server.js';
import { type StaticServer, startStaticServer } from './static-server.js';

const START = Date.UTC(2026, 0, 1, 0, 0);
let qstash: QStashServer;
let app: StaticServer;
/** What the app answers, attempt by attempt: a status, optionally with headers. */
let answer: { status: number; headers?: Record<string, string> }[];

async function start(plan?: QStashPlanLimits) {
  qstash = await startQStashServer({ start: START, ...(plan ? { plan } : {}) });
}

beforeEach(async () => {
  answer = [];
  app = await startStaticServer({
    '/api/callback/t': (_req, res) => {
      const next = answer.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers ?? {}).end(`answer ${next.status}`);
    },
  });
});

afterEach(async () => {
  await qstash.close();
  await app.close();
});

function client() {
  return new Client({
    baseUrl: qstash.url,
    token: qstash.token,
    devMode: false,
    enableTelemetry: false,
    retry: false,
  });
}

describe('QStash stand-in: retries and the DLQ', () => {
  it('spends a retry on a busy 429 with Retry-After, and moves the message to the DLQ when retries run out', async () => {
    await start();
    const destination = `${app.url}/api/callback/t`;
    await client().schedules.create({ scheduleId: 's1', destination, cron: '* * * * *', retries: 2 });
    const busy = { status: 429, headers: { 'Retry-After': '30' } };
    answer = [busy, busy, busy];
    const delivery = await qstash.trigger('s1');
    // 1 attempt + 2 retries, every one of them a 429: Retry-After moved them, it spared none.
    expect(delivery.attempts.map((a) => a.status)).toEqual([429, 429, 429]);
    expect(delivery.attempts.map((a) => a.retryAfter)).toEqual(['30', '30', '30']);
    expect(delivery.delivered).toBe(false);

    const { messages } = await client().dlq.listMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      dlqId: delivery.dlqId,
      messageId: delivery.messageId,
      scheduleId: 's1',
      url: destination,
      maxRetries: 2,
      responseStatus: 429,
      responseBody: 'answer 429',
    });
    expect(messages[0]?.responseHeader?.['retry-after']).toEqual(['30']);
    expect(
      (await client().dlq.listMessages({ filter: { url: 'https://elsewhere.example' } })).messages,
    ).toEqual([]);
    await client().dlq.delete(String(delivery.dlqId));
    expect((await client().dlq.listMessages()).messages).toEqual([]);
  });

  it('keeps a message out of the DLQ when a retry succeeds, and skips the retries on a non-retryable 489', async () => {
    await start();
    await client().schedules.create({
      scheduleId: 's1',
      destination: `${app.url}/api/callback/t`,
      cron: '* * * * *',
      retries: 3,
    });
    answer = [{ status: 503 }, { status: 200 }];
    expect((await qstash.trigger('s1')).delivered).toBe(true);
    answer = [{ status: 489, headers: { 'Upstash-NonRetryable-Error': 'true' } }];
    const refused = await qstash.trigger('s1');
    expect(refused.attempts).toHaveLength(1);
    expect(qstash.dlq.map((m) => m.messageId)).toEqual([refused.messageId]);
  });
});

describe('QStash stand-in: plan limits', () => {
  it('answers 412 to the 11th schedule on the Free plan, but still replaces an existing one', async () => {
    await start(QSTASH_FREE_PLAN);
    const destination = `${app.url}/api/callback/t`;
    for (let i = 0; i < 10; i++)
      await client().schedules.create({ scheduleId: `s${i}`, destination, cron: '0 * * * *' });
    const eleventh = client().schedules.create({ scheduleId: 's10', destination, cron: '0 * * * *' });
    await expect(eleventh).rejects.toBeInstanceOf(QstashError);
    await expect(eleventh).rejects.toMatchObject({ status: 412 });
    await client().schedules.create({ scheduleId: 's3', destination, cron: '*/5 * * * *' });
    expect(qstash.schedules.get('s3')?.cron).toBe('*/5 * * * *');
    await client().schedules.delete('s0');
    await client().schedules.create({ scheduleId: 's10', destination, cron: '0 * * * *' });
    expect(qstash.schedules.size).toBe(10);
  });

  it('refuses publishes over the daily limit with the RateLimit headers the client reads, and makes no message of a firing', async () => {
    await start({ dailyMessages: 2 });
    const url = `${app.url}/api/callback/t`;
    await client().publish({ url, body: 'a' });
    await client().schedules.create({ scheduleId: 's1', destination: url, cron: '* * * * *' });
    expect((await qstash.advance(60_000)).map((d) => d.delivered)).toEqual([true]);
    const refused = client().publish({ url, body: 'b' });
    await expect(refused).rejects.toBeInstanceOf(QstashDailyRatelimitError);
    await expect(refused).rejects.toMatchObject({
      status: 429,
      limit: '2',
      remaining: '0',
      reset: String(Date.UTC(2026, 0, 2) / 1000),
    });
    const [dropped] = await qstash.advance(60_000);
    expect(dropped).toMatchObject({ overDailyLimit: true, delivered: false, attempts: [] });
    expect(qstash.dlq).toEqual([]);
    // A new UTC day, a new budget.
    const nextDay = await qstash.advance(Date.UTC(2026, 0, 2) - qstash.now());
    expect(nextDay.at(-1)?.delivered).toBe(true);
  });
});
