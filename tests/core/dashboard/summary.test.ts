import { describe, expect, it } from 'vitest';
import { DAY_MS, percentile, summarize } from '../../../src/core/dashboard/summary.js';
import type { StoredResult } from '../../../src/core/ports.js';

const NOW = 1_767_225_600_000;
const result = (status: StoredResult['status'], agoMs: number, responseMs = 100): StoredResult => ({
  runId: `${status}-${agoMs}`,
  status,
  reason: status === 'passed' ? 'ok' : `${status} reason`,
  startedAt: NOW - agoMs,
  durationMs: 1000,
  responseMs,
});

describe('summarize', () => {
  it('leaves inconclusive runs out of uptime and counts each window apart', () => {
    const results = [
      result('passed', 1000),
      result('error', 2000),
      result('failed', 3000),
      result('passed', 2 * DAY_MS),
      result('failed', 10 * DAY_MS),
    ];
    const s = summarize(results, NOW);
    expect(s.state).toBe('passed');
    expect(s.uptime).toEqual({ d1: 0.5, d7: 2 / 3, d30: 0.5 });
    expect(s.lastReason).toBe('error reason');
    expect(s.heartbeat.map((b) => b.status)).toEqual(['failed', 'passed', 'failed', 'error', 'passed']);
  });

  it('says "none" and no figures before the first run', () => {
    const s = summarize([], NOW);
    expect(s).toMatchObject({
      state: 'none',
      p50: null,
      p95: null,
      uptime: { d1: null, d7: null, d30: null },
    });
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([], 50)).toBeNull();
  });
});
