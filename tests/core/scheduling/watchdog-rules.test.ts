import { describe, expect, it } from 'vitest';
import { decideMissed } from '../../../src/core/incidents/missed.js';
import { decideIncident } from '../../../src/core/incidents/state.js';
import type { StoredResult } from '../../../src/core/ports.js';
import { overdue } from '../../../src/core/scheduling/watchdog.js';
import { makeTest } from '../../support/test-definitions.js';

const at = (iso: string) => Date.parse(iso);
const test = makeTest('watched', { schedule: '*/15 * * * *', timeout: 30, retries: 0 });
const stored = { definition: test, contentHash: 'h', updatedAt: at('2026-03-02T09:00:00Z') };
const run = (iso: string, status: StoredResult['status'] = 'passed'): StoredResult => ({
  runId: iso,
  status,
  reason: status,
  startedAt: at(iso),
  durationMs: 1,
});

describe('overdue', () => {
  const entry = { test: stored, lastRun: run('2026-03-02T10:15:05Z'), incident: null };

  it('is quiet until two ticks have passed since the last run, plus grace', () => {
    // Ticks 10:30 and 10:45 passed; grace is 5 min + 30 s.
    expect(overdue(entry, at('2026-03-02T10:50:29Z'))).toBeNull();
    expect(overdue(entry, at('2026-03-02T10:50:30Z'))).toEqual({
      since: at('2026-03-02T10:15:05Z'),
      intervalMs: 15 * 60_000,
      reason: 'no runs since 2026-03-02 10:15 UTC; expected every 15 min',
    });
  });

  it('counts from the sync when the test never ran, and ignores tests without a schedule', () => {
    expect(overdue({ ...entry, lastRun: null }, at('2026-03-02T10:00:00Z'))?.reason).toBe(
      'no runs since it was synced at 2026-03-02 09:00 UTC; expected every 15 min',
    );
    const plain = { ...stored, definition: { ...test, schedule: undefined } };
    expect(overdue({ ...entry, test: plain }, at('2026-03-03T00:00:00Z'))).toBeNull();
  });
});

describe('missed incidents', () => {
  const now = at('2026-03-02T10:55:00Z');
  const facts = { lastRunAt: at('2026-03-02T10:15:05Z'), reason: 'no runs since …' };

  it('opens once and leaves an active incident of any kind alone', () => {
    const opened = decideMissed({ test, current: null, facts, now });
    expect(opened).toMatchObject({ kind: 'open', incident: { kind: 'missed', lastFailureAt: now } });
    if (opened.kind !== 'open') throw new Error('expected open');
    const active = { ...opened.incident, issueNumber: 7 };
    expect(decideMissed({ test, current: active, facts, now: now + 300_000 })).toEqual({ kind: 'none' });
  });

  it('is resolved by the next passing run and becomes a failing incident on the next failed one', () => {
    const opened = decideMissed({ test, current: null, facts, now });
    if (opened.kind !== 'open') throw new Error('expected open');
    const active = { ...opened.incident, issueNumber: 7 };
    const pass = decideIncident({ test, current: active, history: [run('2026-03-02T11:00:04Z')], now });
    expect(pass).toMatchObject({ kind: 'resolve', recoveredAt: at('2026-03-02T11:00:04Z') });
    const fail = decideIncident({
      test,
      current: active,
      history: [run('2026-03-02T11:00:04Z', 'failed')],
      now,
    });
    expect(fail.kind).toBe('reason-changed');
    if (fail.kind !== 'reason-changed') throw new Error('expected reason-changed');
    expect(fail.incident.kind).toBeUndefined();
    expect(fail.incident.failedRuns).toBe(1);
    // An older run (before the watchdog looked) answers nothing.
    expect(decideIncident({ test, current: active, history: [run('2026-03-02T10:15:05Z')], now })).toEqual({
      kind: 'none',
    });
  });
});
