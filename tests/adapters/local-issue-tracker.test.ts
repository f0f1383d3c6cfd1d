/**
 * The IssueTracker kept in Redis for `housecat up` without a GitHub token keeps the port's promises
 * (one open issue per incident, a marked comment posted once, a closed issue stays closed), against
 * the real redis-server, and tells of each opening and closing once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, type RedisStore } from '../../src/adapters/store/index.js';
import { createLocalIssueTracker } from '../../src/adapters/store/local-issue-tracker.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

describe('the local issue tracker', () => {
  const store = createStore(
    { REDIS_URL: testRedisUrl() },
    { prefix: uniquePrefix('local-issues') },
  ) as RedisStore;
  const changes: string[] = [];
  const tracker = createLocalIssueTracker(store, {
    urlOf: (repo, n) => `http://127.0.0.1:7878/local/${repo}/issues/${n}`,
    onChange: (c) => changes.push(`${c.kind} ${c.repo}#${c.issue.number} ${c.title}`),
  });
  afterAll(() => store.close());

  it('keeps one open issue per test, posts a marked comment once, and closes it once', async () => {
    const a = await tracker.ensureIncidentIssue('acme/shop', 'acme--shop--home', {
      title: 'Home is failing',
      body: 'b',
    });
    const again = await tracker.ensureIncidentIssue('acme/shop', 'acme--shop--home', {
      title: 'x',
      body: 'y',
    });
    const other = await tracker.ensureIncidentIssue('acme/shop', 'acme--shop--cart', {
      title: 'Cart is failing',
      body: 'c',
    });
    expect([a.number, again.number, other.number]).toEqual([1, 1, 2]);
    expect(a.url).toBe('http://127.0.0.1:7878/local/acme/shop/issues/1');
    expect(await tracker.findIncidentIssue('acme/shop', 'acme--shop--home')).toEqual(a);
    await tracker.comment('acme/shop', 1, '<!-- m1 --> Recovered', '<!-- m1 -->');
    await tracker.comment('acme/shop', 1, '<!-- m1 --> Recovered', '<!-- m1 -->');
    await tracker.close('acme/shop', 1);
    await tracker.close('acme/shop', 1);
    expect(await tracker.getIssue('acme/shop', 1)).toMatchObject({ number: 1, state: 'closed' });
    expect(await tracker.findIncidentIssue('acme/shop', 'acme--shop--home')).toBeNull();
    const page = await tracker.read('acme/shop', 1);
    expect(page).toMatchObject({
      title: 'Home is failing',
      body: 'b',
      state: 'closed',
      testId: 'acme--shop--home',
    });
    expect(page?.comments.map((c) => c.body)).toEqual(['<!-- m1 --> Recovered']);
    // The next incident of the same test is a new issue.
    expect(
      (await tracker.ensureIncidentIssue('acme/shop', 'acme--shop--home', { title: 'again', body: '' }))
        .number,
    ).toBe(3);
    expect(changes).toEqual([
      'opened acme/shop#1 Home is failing',
      'opened acme/shop#2 Cart is failing',
      'closed acme/shop#1 Home is failing',
      'opened acme/shop#3 again',
    ]);
    expect(await tracker.getIssue('acme/shop', 99)).toBeNull();
  });
});
