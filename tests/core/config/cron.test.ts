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
});
