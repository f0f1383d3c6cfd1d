/**
 * Public pages and badges read through the in-process cache: however many requests, whatever their
 * query string, Redis is read once per period; the answer carries an ETag and a repeat answers 304.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/adapters/store/index.js';
import type { StatusReader } from '../../src/core/ports.js';
import { syncFile } from '../support/status-history.js';
import { type Harness, startHarness } from './harness.js';

const SHOP = `version: 1
status_page:
  public: true
tests:
  - name: Checkout
    id: checkout
    url: https://shop.example.com/checkout
    expect: { status: 200 }
`;

describe('public read cache', () => {
  let h: Harness;
  // A clock that moves only when the test moves it: a loaded machine cannot expire the cache midway.
  const base = Date.now();
  let offset = 0;
  const reads: string[] = [];
  beforeAll(async () => {
    h = await startHarness({
      publicCacheMs: 5_000,
      clock: { now: () => base + offset },
      statusReader: (reader): StatusReader => ({
        readRepoHead(repo, o) {
          reads.push(`head ${repo}`);
          return reader.readRepoHead(repo, o);
        },
        readRepoTests(repo, ids, o) {
          reads.push(`tests ${repo}`);
          return reader.readRepoTests(repo, ids, o);
        },
        readTestBadge(repo, slug, o) {
          reads.push(`badge ${repo}/${slug}`);
          return reader.readTestBadge(repo, slug, o);
        },
        readRepoStatus(repo, o) {
          reads.push(`repo ${repo}`);
          return reader.readRepoStatus(repo, o);
        },
        readTestStatus(repo, slug, o) {
          reads.push(`test ${repo}/${slug}`);
          return reader.readTestStatus(repo, slug, o);
        },
      }),
    });
    if (!(h.store instanceof RedisStore)) throw new Error('fixture');
    await syncFile(h.store, SHOP);
  });
  afterAll(async () => h?.close());

  it('reads Redis once per period for a badge, whatever the query string, even in a burst', async () => {
    reads.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => fetch(`${h.url}/badge/acme/shop/checkout/status.svg?cb=${i}`)),
    );
    for (const a of answers) expect(a.status).toBe(200);
    for (let i = 0; i < 20; i++)
      expect((await fetch(`${h.url}/badge/acme/shop/checkout/status.svg?cb=x${i}`)).status).toBe(200);
    expect(reads).toEqual(['badge acme/shop/checkout']);
    // Past the period, the next request reads again.
    offset += 6_000;
    expect((await fetch(`${h.url}/badge/acme/shop/checkout/status.svg?cb=late`)).status).toBe(200);
    expect(reads).toHaveLength(2);
  });

  it('reads once for many status page views, and answers 304 to a known ETag', async () => {
    reads.length = 0;
    const first = await fetch(`${h.url}/status/acme/shop?utm=1`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    for (let i = 0; i < 30; i++) {
      const again = await fetch(`${h.url}/status/acme/shop?utm=${i}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
    expect(reads).toEqual(['head acme/shop', 'tests acme/shop']);
  });

  it('answers a known page with 304 from the head alone, without reading its tests', async () => {
    // Past the earlier reads' cache period, then 1 s into a minute: the page's ETag holds for the
    // minute it is drawn at.
    offset += 6_000;
    offset += Math.ceil((base + offset) / 60_000) * 60_000 + 1_000 - (base + offset);
    reads.length = 0;
    const first = await fetch(`${h.url}/status/acme/shop`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(reads).toEqual(['head acme/shop', 'tests acme/shop']);
    // Past the cache period the head is read again, and nothing else.
    offset += 6_000;
    reads.length = 0;
    const again = await fetch(`${h.url}/status/acme/shop`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(reads).toEqual(['head acme/shop']);
  });
});
