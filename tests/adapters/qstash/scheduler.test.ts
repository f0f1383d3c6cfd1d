import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQStashScheduler } from '../../../src/adapters/qstash/index.js';
import { ServiceError } from '../../../src/core/errors.js';
import { type QStashServer, startQStashServer } from '../../support/qstash-server.js';

let qstash: QStashServer;
beforeEach(async () => {
  qstash = await startQStashServer();
});
afterEach(() => qstash.close());

const spec = {
  scheduleId: 'housecat-acme--shop--login',
  destination: 'https://housecat.example.com/api/callback/acme--shop--login',
  cron: '*/15 * * * *',
  retries: 3,
};

describe('QStash scheduler', () => {
  it('creates a schedule with explicit retries and no body, and replaces it on the next upsert', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    await scheduler.upsertSchedule(spec);
    await scheduler.upsertSchedule({ ...spec, cron: '0 * * * *' });
    expect([...qstash.schedules.values()]).toEqual([
      expect.objectContaining({
        scheduleId: spec.scheduleId,
        cron: '0 * * * *',
        retries: 3,
        body: '',
        destination: spec.destination,
      }),
    ]);
    const create = qstash.requests.find((r) => r.route === 'createSchedule')!;
    expect(create.headers['upstash-retries']).toBe('3');
    // Nothing but routing headers: no forwarded header could carry a secret.
    expect(Object.keys(create.headers).filter((h) => h.startsWith('upstash-forward-'))).toEqual([]);
    expect(create.headers['upstash-telemetry-sdk']).toBeUndefined();
    expect(qstash.counts().total).toBe(2);
  });

  it('ignores QSTASH_DEV: it talks to the given URL and never starts a dev server', async () => {
    const saved = process.env.QSTASH_DEV;
    process.env.QSTASH_DEV = 'true';
    try {
      const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
      await scheduler.upsertSchedule(spec);
      expect(qstash.schedules.has(spec.scheduleId)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.QSTASH_DEV;
      else process.env.QSTASH_DEV = saved;
    }
  });

  it('treats deleting a schedule that is already gone as done', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    await scheduler.upsertSchedule(spec);
    await scheduler.deleteSchedule(spec.scheduleId);
    await scheduler.deleteSchedule(spec.scheduleId);
    expect(qstash.schedules.size).toBe(0);
    expect(qstash.counts().deleteSchedule).toBe(2);
  });

  it('names QStash, the operation and the input to check when the token is refused', async () => {
    const scheduler = createQStashScheduler({
      token: 'wrong',
      baseUrl: qstash.url,
      tokenSource: 'input "qstash-token"',
    });
    const error = await scheduler.upsertSchedule(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(401);
    expect((error as Error).message).toMatch(
      /^QStash: create schedule housecat-acme--shop--login failed: HTTP 401/,
    );
    expect((error as Error).message).toContain('check input "qstash-token"');
  });

  it('says which URL to check when QStash cannot be reached', async () => {
    const url = qstash.url;
    await qstash.close();
    const scheduler = createQStashScheduler({ token: 't', baseUrl: url, urlSource: 'input "qstash-url"' });
    const error = await scheduler.deleteSchedule('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toContain(`could not reach QStash at ${url}: check input "qstash-url"`);
    qstash = await startQStashServer();
  });

  it('reports a server error as retryable and a rejected cron as not', async () => {
    const scheduler = createQStashScheduler({ token: qstash.token, baseUrl: qstash.url });
    qstash.failNext({ status: 500 });
    const e500 = (await scheduler.upsertSchedule(spec).catch((e: unknown) => e)) as ServiceError;
    expect(e500.retryable).toBe(true);
    expect(e500.message).toContain('safe to repeat');
    const e400 = (await scheduler
      .upsertSchedule({ ...spec, cron: 'every minute' })
      .catch((e: unknown) => e)) as ServiceError;
    expect(e400.status).toBe(400);
    expect(e400.retryable).toBe(false);
    expect(qstash.schedules.size).toBe(0);
  });
});
