import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveryAnswer } from '../../src/web/delivery-answer.js';

describe('deliveryAnswer', () => {
  it('acknowledges a recorded run and a duplicate with 200, naming the incident decision', () => {
    expect(
      deliveryAnswer({ kind: 'ran', testId: 'a--b--c', runId: 'r1', status: 'failed', incident: 'pending' }),
    ).toEqual({
      status: 200,
      body: { ok: true, testId: 'a--b--c', runId: 'r1', status: 'failed', incident: 'pending' },
    });
    expect(deliveryAnswer({ kind: 'duplicate', reason: 'token already used' })).toMatchObject({
      status: 200,
      body: { ok: true, duplicate: 'token already used' },
    });
  });

  it('answers busy with 429 and a Retry-After in whole seconds, at least 1', () => {
    expect(deliveryAnswer({ kind: 'busy', reason: 'a run is in progress', retryAfterMs: 125_100 })).toEqual({
      status: 429,
      body: { error: 'a run is in progress; retry in 126 s', retryAfterSeconds: 126 },
      headers: { 'Retry-After': '126' },
    });
    expect(deliveryAnswer({ kind: 'busy', reason: 'x', retryAfterMs: 0 }).headers).toEqual({
      'Retry-After': '1',
    });
  });

  it('sends what can never run to the DLQ at once (489 + Upstash-NonRetryable-Error), and lets QStash retry the rest', () => {
    expect(deliveryAnswer({ kind: 'refused', reason: 'test x does not exist' })).toEqual({
      status: 489,
      body: { error: 'test x does not exist' },
      headers: { 'Upstash-NonRetryable-Error': 'true' },
    });
    expect(deliveryAnswer({ kind: 'incident-unsaved', reason: 'saving failed', runId: 'r2' })).toEqual({
      status: 502,
      body: { error: 'saving failed', runId: 'r2' },
    });
    expect(deliveryAnswer({ kind: 'unavailable', reason: 'Redis is down' }).status).toBe(503);
  });

  it('is the only place that knows QStash answers: no use case in src/app names an HTTP header of them', () => {
    const dir = join(import.meta.dirname, '../../src/app');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) =>
      /Retry-After'|Upstash-NonRetryable-Error'/.test(readFileSync(join(dir, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
