import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../../src/core/config/cron.js';

describe('cronProblem', () => {
  it('accepts the usual forms', () => {
    for (const cron of [
      '* * * * *',
      '*/15 * * * *',
      '0 9-17 * * 1-5',
      '0 9 * * MON-FRI',
      '0,15,30,45 * * * *',
      '5 4 1 jan,jul sun',
      '10-50/10 */2 1-31 * 0-7',
      '  0  0  1  1  *  ',
    ]) {
      expect(cronProblem(cron), cron).toBeNull();
    }
  });

  it.each([
    ['', /empty/],
    ['@daily', /shortcuts/],
    ['* * * *', /has 4 fields/],
    ['0 * * * * *', /no seconds field/],
    ['60 * * * *', /minute must be 0-59/],
    ['* 24 * * *', /hour must be 0-23/],
    ['* * 0 * *', /day of month must be 1-31/],
    ['* * * 13 *', /month must be 1-12/],
    ['* * * * 8', /day of week must be 0-7/],
    ['*/0 * * * *', /step "\/0" must be a whole number of at least 1/],
    ['*/x * * * *', /step/],
    ['*/61 * * * *', /at most 59/],
    ['30-10 * * * *', /runs backwards/],
    ['1-2-3 * * * *', /more than one "-"/],
    ['1,,2 * * * *', /empty list item/],
    ['* * * FOO *', /month "FOO" is not a number/],
    ['* * * * MON-', /day of week "" is not a number/],
  ])('rejects %j', (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
  });

  it('accepts Jenkins H forms in test schedules only', () => {
    for (const cron of [
      'H/5 * * * *',
      'H H * * *',
      'H(0-29)/10 * * * *',
      'H H(8-15)/2 * * 1-5',
      'H H H H H',
      '0,H * * * *',
    ]) {
      expect(cronProblem(cron, { allowHash: true }), cron).toBeNull();
      expect(cronProblem(cron), cron).toMatch(/H \(hash\) is for test schedules only/);
    }
  });

  it.each([
    ['H5 * * * *', /minute "H5" is not a valid H form: write H, H\/5, H\(0-29\) or H\(0-29\)\/10/],
    ['H(0-29 * * * *', /not a valid H form/],
    ['H-5 * * * *', /not a valid H form/],
    ['H(0-60) * * * *', /minute "H\(0-60\)": the range must lie within 0-59/],
    ['H(30-10) * * * *', /runs backwards/],
    ['H/0 * * * *', /at least 2/],
    ['H/1 * * * *', /H\/1 would pick one value/],
    ['H/61 * * * *', /step 61 is longer than the 60 values H covers \(0-59\)/],
    ['H(0-9)/20 * * * *', /step 20 is longer than the 10 values/],
    ['* * H(0-31) * *', /day of month "H\(0-31\)": the range must lie within 1-31/],
  ])('rejects the H form %j', (cron, message) => {
    expect(cronProblem(cron, { allowHash: true })).toMatch(message);
  });
});
