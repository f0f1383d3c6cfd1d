/**
 * The Upstash bridge itself: it must answer what Upstash answers, or the REST adapter's tests prove
 * nothing. Checked over raw HTTP and with the SDK's own typed commands (which show the JSON trap).
 */
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startUpstashBridge, type UpstashBridge } from '../../support/upstash-bridge.js';

let bridge: UpstashBridge;
const prefix = uniquePrefix('bridge');

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: testRedisUrl() });
});
afterAll(async () => {
  await bridge.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('Upstash REST bridge', () => {
  it('answers a command with {result}, strings plain without the encoding header', async () => {
    expect(await post('/', ['SET', `${prefix}k`, 'héllo 🐈'])).toEqual({
      status: 200,
      body: { result: 'OK' },
    });
    expect(await post('/', ['GET', `${prefix}k`])).toEqual({ status: 200, body: { result: 'héllo 🐈' } });
    expect(await post('/', ['STRLEN', `${prefix}k`])).toEqual({ status: 200, body: { result: 11 } });
    expect(await post('/', ['GET', `${prefix}missing`])).toEqual({ status: 200, body: { result: null } });
  });

  it('base64-encodes every string but a top-level OK when asked, keeping integers as numbers', async () => {
    const enc = { 'upstash-encoding': 'base64' };
    expect(await post('/', ['SET', `${prefix}e`, '123'], enc)).toEqual({
      status: 200,
      body: { result: 'OK' },
    });
    expect(await post('/', ['GET', `${prefix}e`], enc)).toEqual({
      status: 200,
      body: { result: b64('123') },
    });
    expect(await post('/', ['PING'], enc)).toEqual({ status: 200, body: { result: b64('PONG') } });
    expect(await post('/', ['TYPE', `${prefix}e`], enc)).toEqual({
      status: 200,
      body: { result: b64('string') },
    });
    await post('/', ['RPUSH', `${prefix}l`, 'a', '🐈'], enc);
    expect(await post('/', ['LRANGE', `${prefix}l`, '0', '-1'], enc)).toEqual({
      status: 200,
      body: { result: [b64('a'), b64('🐈')] },
    });
    expect(
      await post(
        '/pipeline',
        [
          ['INCR', `${prefix}n`],
          ['SET', `${prefix}s`, 'v'],
        ],
        enc,
      ),
    ).toEqual({
      status: 200,
      body: [{ result: 1 }, { result: 'OK' }],
    });
  });

  it('answers 401 {"error":"Unauthorized"} for a wrong or missing token, and runs nothing', async () => {
    const wrong = await fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
      body: JSON.stringify(['SET', `${prefix}auth`, 'x']),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Unauthorized' });
    const missing = await fetch(bridge.url, { method: 'POST', body: JSON.stringify(['PING']) });
    expect(missing.status).toBe(401);
    expect(await post('/', ['EXISTS', `${prefix}auth`])).toEqual({ status: 200, body: { result: 0 } });
  });

  it('reports command errors: 400 for one command, per entry in a pipeline and a transaction', async () => {
    await post('/', ['SET', `${prefix}str`, 'x']);
    const single = await post('/', ['INCR', `${prefix}str`]);
    expect(single.status).toBe(400);
    expect(single.body).toEqual({ error: 'ERR value is not an integer or out of range' });
    const pipe = await post('/pipeline', [
      ['INCR', `${prefix}str`],
      ['SET', `${prefix}p`, '1'],
    ]);
    expect(pipe).toEqual({
      status: 200,
      body: [{ error: 'ERR value is not an integer or out of range' }, { result: 'OK' }],
    });
    const tx = await post('/multi-exec', [
      ['SET', `${prefix}t`, '1'],
      ['INCR', `${prefix}str`],
      ['INCR', `${prefix}t`],
    ]);
    expect(tx).toEqual({
      status: 200,
      body: [{ result: 'OK' }, { error: 'ERR value is not an integer or out of range' }, { result: 2 }],
    });
  });

  it('discards a transaction with an unknown command as a whole', async () => {
    const tx = await post('/multi-exec', [
      ['SET', `${prefix}d`, '1'],
      ['NOSUCHCOMMAND', 'x'],
    ]);
    expect(tx.status).toBe(400);
    expect((tx.body as { error: string }).error).toMatch(/^ERR unknown command/);
    expect(await post('/', ['EXISTS', `${prefix}d`])).toEqual({ status: 200, body: { result: 0 } });
  });

  it('reproduces the SDK trap: typed commands JSON-parse stored strings unless told not to', async () => {
    const sdk = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false });
    const raw = new Redis({
      url: bridge.url,
      token: bridge.token,
      enableTelemetry: false,
      automaticDeserialization: false,
    });
    await raw.hset(`${prefix}h`, { name: '123', flag: 'true', obj: '{"a":1}', emoji: '🐈‍⬛' });
    const parsed = await sdk.hgetall(`${prefix}h`);
    expect(parsed).toEqual({ name: 123, flag: true, obj: { a: 1 }, emoji: '🐈‍⬛' });
    const exact = await raw.hget(`${prefix}h`, 'obj');
    expect(exact).toBe('{"a":1}');
  });

  it('counts requests, including refused ones', async () => {
    bridge.reset();
    await post('/', ['PING']);
    await fetch(bridge.url, { method: 'POST', body: '["PING"]' });
    expect(bridge.count()).toBe(2);
    expect(bridge.requests.slice(-2).map((r) => r.authorized)).toEqual([true, false]);
  });
});
