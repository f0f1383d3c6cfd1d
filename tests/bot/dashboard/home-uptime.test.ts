/**
 * The dashboard's home page (issue 29): each test's state, uptime over 24 h and 7 d from the
 * hourly rollups, and its last run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardHarness, PEOPLE, seedShop, startDashboard } from './harness.js';
import { get, signIn } from './http-client.js';

describe('the dashboard home page', () => {
  let h: DashboardHarness;
  beforeAll(async () => {
    h = await startDashboard();
    await seedShop(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows each test’s state, uptime 24 h and 7 d, and last run', async () => {
    const { cookie } = await signIn(h, PEOPLE.reader);
    const home = (await get(`${h.url}/`, cookie)).text;
    const row = (name: string) =>
      new RegExp(`<tr><th scope="row"><a [^>]+>${name}</a></th>(.*?)</tr>`).exec(home)?.[1] ?? '';
    const cells = (name: string) =>
      [...row(name).matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]?.replace(/<[^>]+>/g, ''));
    // Checkout: 5 seeded runs in the last 75 minutes, one failed; the newest passed.
    expect(cells('Checkout')).toEqual([
      'passing',
      '80%',
      '80%',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
      'none',
    ]);
    expect(cells('Search')).toEqual(['no runs yet', '—', '—', 'never', 'none']);
    expect(home).toContain('<th scope="col">Uptime 24 h</th><th scope="col">Uptime 7 d</th>');
  });
});
