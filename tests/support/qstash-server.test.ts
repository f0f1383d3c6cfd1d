import { Client, Receiver } from '@upstash/qstash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cronMatches, type QStashServer, signQStashRequest, startQStashServer } from './qstash-server.js';
import { type StaticServer, startStaticServer } from './static-server.js';

let qstash: QStashServer;
let app: StaticServer;
let received: { headers: Record<string, string | string[] | undefined>; body: string }[];
let answer: number[];

beforeEach(async () => {
  qstash = await startQStashServer({ start: Date.UTC(2026, 0, 1, 0, 0) });
  received = [];
  answer = [];
  app = await startStaticServer({
    '/api/callback/acme--shop--login': (req, res, body) => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer.shift() ?? 200).end('ok');
    },
  });
});

afterEach(async () => {
  await qstash.close();
  await app.close();
});

function client(token = qstash.token) {
  return new Client({ baseUrl: qstash.url, token, devMode: false, enableTelemetry: false, retry: false });
}

function receiver() {
  return new Receiver({ currentSigningKey: qstash.currentSigningKey, nextSigningKey: qstash.nextSigningKey });
}

describe('QStash stand-in', () => {
  it('keeps schedules created by the real SDK, upserting by schedule id', async () => {
    const destination = `${app.url}/api/callback/acme--shop--login`;
    const c = client();
    const first = await c.schedules.create({
      scheduleId: 'housecat-x',
      destination,
      cron: '*/15 * * * *',
      retries: 2,
    });
    const again = await c.schedules.create({
      scheduleId: 'housecat-x',
      destination,
      cron: '*/5 * * * *',
      retries: 2,
    });
    expect(first.scheduleId).toBe('housecat-x');
    expect(again.scheduleId).toBe('housecat-x');
    const list = await c.schedules.list();
    expect(list).toHaveLength(1);
    expect(await c.schedules.get('housecat-x')).toMatchObject({
      cron: '*/5 * * * *',
      retries: 2,
      destination,
    });
    const create = qstash.requests.find((r) => r.route === 'createSchedule');
    expect(create?.headers['upstash-cron']).toBe('*/15 * * * *');
    expect(create?.headers['upstash-retries']).toBe('2');
    expect(create?.headers['upstash-schedule-id']).toBe('housecat-x');
    await c.schedules.delete('housecat-x');
    expect(qstash.schedules.size).toBe(0);
    await expect(c.schedules.delete('housecat-x')).rejects.toMatchObject({ status: 404 });
    expect(qstash.counts()).toMatchObject({
      createSchedule: 2,
      listSchedules: 1,
      getSchedule: 1,
      deleteSchedule: 2,
    });
  });

  it('refuses a wrong token and an invalid cron like QStash', async () => {
    await expect(client('wrong').schedules.list()).rejects.toMatchObject({ status: 401 });
    await expect(
      client().schedules.create({ destination: `${app.url}/x`, cron: '61 * * * *' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('delivers a schedule signed so that the real Receiver accepts it', async () => {
    const destination = `${app.url}/api/callback/acme--shop--login`;
    await client().schedules.create({
      scheduleId: 's1',
      destination,
      cron: '0 * * * *',
      retries: 1,
      body: '{"a":1}',
    });
    const delivery = await qstash.trigger('s1');
    expect(delivery.delivered).toBe(true);
    const got = received[0]!;
    expect(got.headers['upstash-schedule-id']).toBe('s1');
    expect(got.headers['upstash-retried']).toBe('0');
    expect(got.headers['upstash-message-id']).toBe(delivery.messageId);
    const signature = String(got.headers['upstash-signature']);
    await expect(receiver().verify({ signature, body: got.body, url: destination })).resolves.toBe(true);
    // The same token does not fit another body or another URL.
    await expect(receiver().verify({ signature, body: '{"a":2}', url: destination })).rejects.toThrow(
      /body hash/,
    );
    await expect(receiver().verify({ signature, body: got.body, url: `${destination}x` })).rejects.toThrow(
      /subject/,
    );
    const claims = JSON.parse(Buffer.from(signature.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'Upstash', sub: destination });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toEqual(expect.any(String));
  });

  it('retries a delivery answered with non-2xx, keeping the message id and counting Upstash-Retried', async () => {
    await client().schedules.create({
      scheduleId: 's1',
      destination: `${app.url}/api/callback/acme--shop--login`,
      cron: '0 * * * *',
      retries: 2,
    });
    answer = [500, 503, 200];
    const delivery = await qstash.trigger('s1');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(received.map((r) => r.headers['upstash-retried'])).toEqual(['0', '1', '2']);
    expect(new Set(received.map((r) => r.headers['upstash-message-id'])).size).toBe(1);
    answer = [500, 500, 500, 500];
    const failed = await qstash.trigger('s1');
    expect(failed.delivered).toBe(false);
    expect(failed.attempts).toHaveLength(3);
  });

  it('fires due schedules when the clock is fast-forwarded', async () => {
    await client().schedules.create({
      scheduleId: 's1',
      destination: `${app.url}/api/callback/acme--shop--login`,
      cron: '*/15 * * * *',
    });
    const fired = await qstash.advance(60 * 60_000);
    expect(fired).toHaveLength(4);
    expect(received).toHaveLength(4);
    expect(await qstash.advance(14 * 60_000)).toHaveLength(0);
  });

  it('signs with the next key after rotation, which the Receiver still accepts', async () => {
    await client().schedules.create({
      scheduleId: 's1',
      destination: `${app.url}/api/callback/acme--shop--login`,
      cron: '* * * * *',
    });
    qstash.signWith('next');
    await qstash.trigger('s1');
    const got = received[0]!;
    const url = `${app.url}/api/callback/acme--shop--login`;
    await expect(
      receiver().verify({ signature: String(got.headers['upstash-signature']), body: got.body, url }),
    ).resolves.toBe(true);
    const onlyCurrent = new Receiver({
      currentSigningKey: qstash.currentSigningKey,
      nextSigningKey: 'other',
    });
    await expect(
      onlyCurrent.verify({ signature: String(got.headers['upstash-signature']), body: got.body, url }),
    ).rejects.toThrow();
  });
});

describe('signQStashRequest', () => {
  const key = 'sig_test_key';
  const url = 'https://housecat.example.com/api/callback/acme--shop--login';
  // Both keys equal: the Receiver's error then comes from the claim check, not the key fallback.
  const r = () => new Receiver({ currentSigningKey: key, nextSigningKey: key });

  it('makes tokens the Receiver accepts, and expired or future ones it refuses', async () => {
    await expect(
      r().verify({ signature: signQStashRequest({ signingKey: key, url, body: '' }), body: '', url }),
    ).resolves.toBe(true);
    const expired = signQStashRequest({ signingKey: key, url, body: '', now: Date.now() - 10 * 60_000 });
    await expect(r().verify({ signature: expired, body: '', url })).rejects.toThrow(/exp/);
    const future = signQStashRequest({ signingKey: key, url, body: '', notBeforeS: 120 });
    await expect(r().verify({ signature: future, body: '', url })).rejects.toThrow(/nbf/);
    const wrongIssuer = signQStashRequest({ signingKey: key, url, body: '', issuer: 'Mallory' });
    await expect(r().verify({ signature: wrongIssuer, body: '', url })).rejects.toThrow(/iss/);
    const wrongKey = signQStashRequest({ signingKey: 'nope', url, body: '' });
    await expect(r().verify({ signature: wrongKey, body: '', url })).rejects.toThrow(/signature/);
  });
});

describe('cronMatches', () => {
  it('matches minutes, ranges, steps, names and the day-of-month/day-of-week OR rule', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(cronMatches('*/15 * * * *', at('2026-01-01T10:30:00Z'))).toBe(true);
    expect(cronMatches('*/15 * * * *', at('2026-01-01T10:31:00Z'))).toBe(false);
    expect(cronMatches('0 9-17 * * MON-FRI', at('2026-01-05T09:00:00Z'))).toBe(true); // Monday
    expect(cronMatches('0 9-17 * * MON-FRI', at('2026-01-04T09:00:00Z'))).toBe(false); // Sunday
    expect(cronMatches('0 0 1 * 0', at('2026-01-04T00:00:00Z'))).toBe(true); // a Sunday, not the 1st
    expect(cronMatches('0 0 * * 7', at('2026-01-04T00:00:00Z'))).toBe(true);
  });
});
