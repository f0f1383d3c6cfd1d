/**
 * The wait rules of GitHub's REST docs ("Exceeding the rate limit"), on the answers GitHub sends:
 * retry-after first, else x-ratelimit-reset when remaining is 0, else 60 s; 403 or 429 alike.
 */
import { describe, expect, it } from 'vitest';
import { rateLimitWaitMs } from '../../../src/adapters/github/rate-limit.js';

const NOW = 1_800_000_000_000; // an exact second, so reset - now is exact
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const usual = { 'x-ratelimit-remaining': '4321', 'x-ratelimit-reset': String(NOW / 1000 + 3000) };

describe("GitHub's rate-limit wait", () => {
  it.each([403, 429])('waits for retry-after on a %i secondary limit', (status) => {
    const headers = { ...usual, 'retry-after': '37' };
    expect(rateLimitWaitMs({ status, message: SECONDARY, headers }, NOW)).toBe(37_000);
  });

  it.each([403, 429])('waits 60 s on a %i secondary limit without retry-after', (status) => {
    expect(rateLimitWaitMs({ status, message: SECONDARY, headers: usual }, NOW)).toBe(60_000);
  });

  it.each([403, 429])('waits until x-ratelimit-reset (and a second) when a %i says remaining 0', (status) => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 120) };
    expect(rateLimitWaitMs({ status, message: 'API rate limit exceeded', headers }, NOW)).toBe(121_000);
  });

  it('prefers retry-after over the reset time', () => {
    const headers = {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(NOW / 1000 + 120),
      'retry-after': '5',
    };
    expect(rateLimitWaitMs({ status: 429, message: '', headers }, NOW)).toBe(5000);
  });

  it('treats any 429 as a limit, even without a message', () => {
    expect(rateLimitWaitMs({ status: 429, message: '', headers: {} }, NOW)).toBe(60_000);
  });

  it('does not pause on a 403 that is a permission refusal', () => {
    const message = 'Resource not accessible by integration';
    expect(rateLimitWaitMs({ status: 403, message, headers: usual }, NOW)).toBeNull();
  });

  it('pauses after a success that used the last request of the hour', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) };
    expect(rateLimitWaitMs({ status: 200, headers }, NOW)).toBe(11_000);
    expect(rateLimitWaitMs({ status: 200, headers: usual }, NOW)).toBeNull();
  });

  it('does not pause on other failures', () => {
    expect(rateLimitWaitMs({ status: 502, message: 'Server Error', headers: usual }, NOW)).toBeNull();
    expect(rateLimitWaitMs({ status: 404, message: 'Not Found', headers: usual }, NOW)).toBeNull();
  });
});
