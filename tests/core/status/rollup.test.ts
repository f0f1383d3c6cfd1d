/**
 * The packed hour format of `stats:{id}:h` and percentiles at bucket resolution, pure.
 */
import { describe, expect, it } from 'vitest';
// The packing moved to the store adapter (issue 24); its format is still checked here with the percentiles.
import { packHour, unpackHour } from '../../../src/adapters/store/rollup-packing.js';
import {
  addRun,
  bucketOf,
  emptyHour,
  histogramPercentile,
  LATENESS_EDGES_MS,
  RESPONSE_EDGES_MS,
} from '../../../src/core/status/rollup.js';

describe('hourly rollup values', () => {
  it('packs counts and non-empty buckets, and reads them back unchanged', () => {
    const hour = emptyHour();
    addRun(hour, { status: 'passed', startedAt: 0, responseMs: 120 });
    addRun(hour, { status: 'passed', startedAt: 0, responseMs: 130 });
    addRun(hour, { status: 'failed', startedAt: 0, responseMs: 9000 });
    addRun(hour, { status: 'error', startedAt: 0, responseMs: 50 });
    addRun(hour, { status: 'skipped', startedAt: 0 });
    expect(packHour(hour)).toBe('2,1,1,1|2:2,13:1');
    expect(unpackHour('2,1,1,1|2:2,13:1')).toEqual(hour);
    expect(packHour(emptyHour())).toBe('0,0,0,0');
    expect(unpackHour('0,0,0,0')).toEqual(emptyHour());
  });

  it('packs lateness buckets as a third section, with an empty response section when needed', () => {
    const hour = emptyHour();
    addRun(hour, { status: 'passed', startedAt: 0, responseMs: 120, latenessMs: 400 });
    addRun(hour, { status: 'skipped', startedAt: 0, latenessMs: 2 * 3_600_000 });
    expect(packHour(hour)).toBe('1,0,0,1|2:1|0:1,14:1');
    expect(unpackHour('1,0,0,1|2:1|0:1,14:1')).toEqual(hour);
    const onlyLate = addRun(emptyHour(), { status: 'skipped', startedAt: 0, latenessMs: 40_000 });
    expect(packHour(onlyLate)).toBe('0,0,0,1||7:1');
    expect(unpackHour('0,0,0,1||7:1')).toEqual(onlyLate);
    expect(LATENESS_EDGES_MS[bucketOf(10 * 86_400_000, LATENESS_EDGES_MS)]).toBe(86_400_000);
  });

  it('rejects values HouseCat did not write instead of guessing', () => {
    for (const bad of [
      '',
      '1,2,3',
      '1,2,3,4,5',
      '1,2,x,4',
      '1,2,3,4|',
      '1,2,3,4|2',
      '1,2,3,4|99:1',
      '1,2,3,4|1:1|99:1',
      '1,2,3,4|1:1|2:1|3:1',
      '1,2,3,4|||1:1',
      '1,2,3,4||',
      '-1,0,0,0',
      '1,,2,3',
    ]) {
      expect(unpackHour(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('reports a percentile as the upper edge of the bucket holding the nearest-rank value', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(50)).toBe(0);
    expect(bucketOf(51)).toBe(1);
    expect(bucketOf(10_000_000)).toBe(RESPONSE_EDGES_MS.length - 1);
    const histogram = RESPONSE_EDGES_MS.map(() => 0);
    histogram[2] = 19; // 19 runs in (100, 150]
    histogram[9] = 1; // 1 run in (1000, 1500]
    expect(histogramPercentile(histogram, 50)).toBe(150);
    expect(histogramPercentile(histogram, 95)).toBe(150);
    expect(histogramPercentile(histogram, 100)).toBe(1500);
    expect(
      histogramPercentile(
        RESPONSE_EDGES_MS.map(() => 0),
        95,
      ),
    ).toBeNull();
  });
});
