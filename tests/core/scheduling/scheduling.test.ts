import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';
import type { StoredResult } from '../../../src/core/ports.js';
import {
  describeInterval,
  intervalAt,
  nextTick,
  previousTick,
} from '../../../src/core/scheduling/cron-ticks.js';
import { deliveryTiming, latenessStats } from '../../../src/core/scheduling/lateness.js';
import { activeWindow, parseDuration } from '../../../src/core/scheduling/maintenance.js';
import { planSync } from '../../../src/core/sync/plan.js';
import { makeTest } from '../../support/test-definitions.js';

const at = (iso: string) => Date.parse(iso);

describe('cron ticks', () => {
  it('finds the latest tick at or before a time, in UTC', () => {
    expect(previousTick('*/15 * * * *', at('2026-03-02T10:44:59Z'))).toBe(at('2026-03-02T10:30:00Z'));
    expect(previousTick('*/15 * * * *', at('2026-03-02T10:45:00Z'))).toBe(at('2026-03-02T10:45:00Z'));
    expect(previousTick('0 2 * * SUN', at('2026-03-02T10:00:00Z'))).toBe(at('2026-03-01T02:00:00Z'));
    expect(nextTick('0 9 * * MON-FRI', at('2026-03-06T09:00:00Z'))).toBe(at('2026-03-09T09:00:00Z'));
  });

  it('gives the interval that applies at a time, for irregular crons too', () => {
    expect(intervalAt('*/15 * * * *', at('2026-03-02T10:44:00Z'))).toBe(15 * 60_000);
    // Monday 10:00: the last two ticks are Friday 9:00 and Monday 9:00.
    expect(intervalAt('0 9 * * MON-FRI', at('2026-03-02T10:00:00Z'))).toBe(3 * 86_400_000);
    expect(describeInterval(15 * 60_000)).toBe('15 min');
    expect(describeInterval(90 * 60_000)).toBe('1 h 30 min');
    expect(describeInterval(86_400_000)).toBe('1 day');
  });
});

describe('lateness', () => {
  it('counts a retried delivery from the tick of its first arrival', () => {
    const first = at('2026-03-02T10:30:40Z');
    const retry = at('2026-03-02T10:49:00Z');
    expect(deliveryTiming('*/15 * * * *', first, retry)).toEqual({
      tick: at('2026-03-02T10:30:00Z'),
      latenessMs: 19 * 60_000,
    });
  });

  it('gives nearest-rank p50 and p95 over the runs that have a lateness', () => {
    const results = Array.from({ length: 20 }, (_, i) => ({ latenessMs: (i + 1) * 1000 }) as StoredResult);
    results.push({ runId: 'pr' } as StoredResult);
    expect(latenessStats(results)).toEqual({ runs: 20, p50Ms: 10_000, p95Ms: 19_000, maxMs: 20_000 });
  });
});

describe('maintenance windows', () => {
  it('is active from each tick of its schedule for its duration', () => {
    const windows = [{ schedule: '0 2 * * SUN', durationMs: 90 * 60_000 }];
    expect(activeWindow(windows, at('2026-03-01T03:29:00Z'))?.until).toBe(at('2026-03-01T03:30:00Z'));
    expect(activeWindow(windows, at('2026-03-01T03:30:00Z'))).toBeNull();
    expect(activeWindow(windows, at('2026-03-02T02:30:00Z'))).toBeNull();
  });

  it('parses durations and says what is wrong with a bad one', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('90 minutes')).toMatch(/not a duration: write it like "90m"/);
    expect(parseDuration('8d')).toMatch(/longer than 7 days/);
  });

  it('applies top-level windows to every test and adds a test’s own', () => {
    const yaml = [
      'maintenance: [{ schedule: "0 2 * * SUN", duration: "90m" }]',
      'tests:',
      '  - name: A',
      '    url: https://a.example.com',
      '    expect: { status: 200 }',
      '    maintenance: [{ schedule: "0 3 * * *", duration: "10m" }]',
      '  - name: B',
      '    url: https://b.example.com',
      '    expect: { status: 200 }',
    ].join('\n');
    const parsed = parseDefinitions(yaml, { repo: 'acme/shop', file: 'housecat.yml' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    expect(parsed.tests.map((t) => t.maintenance)).toEqual([
      [
        { schedule: '0 2 * * SUN', durationMs: 90 * 60_000 },
        { schedule: '0 3 * * *', durationMs: 10 * 60_000 },
      ],
      [{ schedule: '0 2 * * SUN', durationMs: 90 * 60_000 }],
    ]);
  });

  it('reports a bad window with its path', () => {
    const yaml = [
      'maintenance: [{ schedule: "0 2 * *", duration: "soon" }]',
      'tests:',
      '  - name: A',
      '    url: https://a.example.com',
      '    expect: { status: 200 }',
    ].join('\n');
    const parsed = parseDefinitions(yaml, { repo: 'acme/shop', file: 'housecat.yml' });
    const messages = parsed.ok ? [] : parsed.diagnostics.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^maintenance\[0\]\.schedule: .*has 4 fields/),
      expect.stringMatching(/^maintenance\[0\]\.duration: duration "soon" is not a duration/),
    ]);
  });
});

describe('flow control in the sync plan', () => {
  it('plans an update of every schedule when the parallelism changes', () => {
    const test = makeTest('login', { schedule: '*/15 * * * *' });
    const options = { callbackUrl: 'https://housecat.example.com', scheduleRetries: 3, now: 1 };
    const first = planSync('acme/shop', [test], [], { ...options, parallelism: 4 });
    expect(first.writes.scheduleUpserts[0]?.flowControl).toEqual({
      key: 'housecat-housecat.example.com',
      parallelism: 4,
    });
    const same = planSync('acme/shop', [test], first.writes.upsert, { ...options, parallelism: 4 });
    expect(same.plan.counts.unchanged).toBe(1);
    const more = planSync('acme/shop', [test], first.writes.upsert, { ...options, parallelism: 8 });
    expect(more.plan.items[0]).toMatchObject({ action: 'update', scheduleChange: 'upsert' });
    expect(more.writes.scheduleUpserts[0]?.flowControl?.parallelism).toBe(8);
  });
});
