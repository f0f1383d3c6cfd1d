import { describe, expect, it } from 'vitest';
import type { StoredTest } from '../../../src/core/ports.js';
import {
  canonicalJson,
  contentHash,
  planSync,
  renderPlanMarkdown,
  renderPlanTable,
  scheduleIdFor,
} from '../../../src/core/sync/index.js';
import type { TestDefinition } from '../../../src/core/types.js';

const REPO = 'acme/shop';
const CALLBACK = 'https://housecat.example.com';
const OPTIONS = {
  callbackUrl: CALLBACK,
  scheduleRetries: 3,
  now: 1_700_000_000_000,
  file: '.github/housecat.yml',
};

function def(slug: string, overrides: Partial<TestDefinition> = {}): TestDefinition {
  return {
    id: `acme--shop--${slug}`,
    slug,
    repo: REPO,
    name: slug,
    url: `https://shop.example.com/${slug}`,
    goal: `Open ${slug} and check it works`,
    schedule: '*/15 * * * *',
    timeout: 120,
    retries: 1,
    failureThreshold: 2,
    recoveryThreshold: 1,
    agent: 'claude',
    maxSteps: 25,
    allowedHosts: [],
    secrets: [],
    ...overrides,
  };
}

/** What a previous sync with OPTIONS would have stored. */
function stored(test: TestDefinition, options = OPTIONS): StoredTest {
  const { writes } = planSync(REPO, [test], [], options);
  return writes.upsert[0]!;
}

describe('canonical JSON', () => {
  it('gives the same text whatever the key order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      canonicalJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('changes the content hash when any field changes', () => {
    const a = def('login');
    expect(contentHash(a, null)).toBe(contentHash({ ...a }, null));
    expect(contentHash(a, null)).not.toBe(contentHash({ ...a, goal: 'other' }, null));
    expect(contentHash(a, null)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('planSync', () => {
  it('creates every test when nothing is stored, with a schedule only for scheduled tests', () => {
    const { plan, writes } = planSync(
      REPO,
      [def('login'), def('pr-only', { schedule: undefined })],
      [],
      OPTIONS,
    );
    expect(plan.counts).toEqual({ create: 2, update: 0, unchanged: 0, remove: 0 });
    expect(plan.items.map((i) => [i.action, i.scheduleChange, i.reasons])).toEqual([
      ['create', 'upsert', ['new test']],
      ['create', 'none', ['new test']],
    ]);
    expect(writes.scheduleUpserts).toEqual([
      {
        scheduleId: 'housecat-acme--shop--login',
        destination: 'https://housecat.example.com/api/callback/acme--shop--login',
        cron: '*/15 * * * *',
        retries: 3,
      },
    ]);
    expect(writes.upsert.map((t) => [t.definition.id, t.scheduleId ?? null])).toEqual([
      ['acme--shop--login', 'housecat-acme--shop--login'],
      ['acme--shop--pr-only', null],
    ]);
  });

  it('plans nothing when the stored copies match', () => {
    const tests = [def('login'), def('cart', { schedule: undefined })];
    const { plan, writes } = planSync(
      REPO,
      tests,
      tests.map((t) => stored(t)),
      OPTIONS,
    );
    expect(plan.counts).toEqual({ create: 0, update: 0, unchanged: 2, remove: 0 });
    expect(writes).toEqual({ scheduleUpserts: [], scheduleDeletes: [], upsert: [], remove: [] });
  });

  it('upserts the schedule and says so when the cron changes', () => {
    const before = def('login');
    const after = def('login', { schedule: '*/5 * * * *' });
    const { plan, writes } = planSync(REPO, [after], [stored(before)], OPTIONS);
    expect(plan.items[0]).toMatchObject({
      action: 'update',
      scheduleChange: 'upsert',
      previousSchedule: '*/15 * * * *',
      reasons: ['schedule changed (*/15 * * * * → */5 * * * *)'],
    });
    expect(writes.scheduleUpserts).toHaveLength(1);
    expect(writes.upsert).toHaveLength(1);
  });

  it('rewrites Redis but makes no QStash call when only the goal changes', () => {
    const { plan, writes } = planSync(
      REPO,
      [def('login', { goal: 'New goal' })],
      [stored(def('login'))],
      OPTIONS,
    );
    expect(plan.items[0]).toMatchObject({
      action: 'update',
      scheduleChange: 'none',
      reasons: ['goal changed'],
    });
    expect(writes.scheduleUpserts).toEqual([]);
    expect(writes.upsert).toHaveLength(1);
  });

  it('deletes the schedule of a test that lost its schedule and keeps the test', () => {
    const { plan, writes } = planSync(
      REPO,
      [def('login', { schedule: undefined })],
      [stored(def('login'))],
      OPTIONS,
    );
    expect(plan.items[0]).toMatchObject({
      action: 'update',
      scheduleChange: 'delete',
      reasons: ['schedule removed (was */15 * * * *)'],
    });
    expect(writes.scheduleDeletes).toEqual([scheduleIdFor('acme--shop--login')]);
    expect(writes.upsert[0]?.scheduleId).toBeUndefined();
  });

  it('creates a schedule for a test that gained one', () => {
    const { plan, writes } = planSync(
      REPO,
      [def('login')],
      [stored(def('login', { schedule: undefined }))],
      OPTIONS,
    );
    expect(plan.items[0]).toMatchObject({
      scheduleChange: 'upsert',
      reasons: ['schedule added (*/15 * * * *)'],
    });
    expect(writes.scheduleUpserts).toHaveLength(1);
  });

  it('re-upserts every schedule when the callback URL changes', () => {
    const { plan, writes } = planSync(REPO, [def('login')], [stored(def('login'))], {
      ...OPTIONS,
      callbackUrl: 'https://new.example.com/',
    });
    expect(plan.items[0]).toMatchObject({
      action: 'update',
      scheduleChange: 'upsert',
      reasons: ['callback URL, schedule retries or flow-control parallelism changed'],
    });
    expect(writes.scheduleUpserts[0]?.destination).toBe(
      'https://new.example.com/api/callback/acme--shop--login',
    );
  });

  it('removes tests missing from the file, deleting their schedule, and says history is kept', () => {
    const gone = stored(def('old'));
    const unscheduled = stored(def('older', { schedule: undefined }));
    const { plan, writes } = planSync(REPO, [], [unscheduled, gone], OPTIONS);
    expect(plan.items.map((i) => [i.action, i.testId, i.scheduleChange])).toEqual([
      ['remove', 'acme--shop--old', 'delete'],
      ['remove', 'acme--shop--older', 'none'],
    ]);
    expect(plan.items[0]?.reasons[0]).toContain('no longer in .github/housecat.yml (history is kept)');
    expect(writes.scheduleDeletes).toEqual(['housecat-acme--shop--old']);
    expect(writes.remove).toEqual(['acme--shop--old', 'acme--shop--older']);
  });

  it('names several changed fields with old and new values where short', () => {
    const { plan } = planSync(
      REPO,
      [
        def('login', {
          timeout: 60,
          url: 'https://shop.example.com/new',
          allowedHosts: ['auth.example.com'],
        }),
      ],
      [stored(def('login'))],
      OPTIONS,
    );
    expect(plan.items[0]?.reasons).toEqual([
      'url changed',
      'timeout changed (120 → 60)',
      'allowed_hosts changed',
    ]);
  });

  it('refuses to plan a scheduled test without a callback URL', () => {
    expect(() => planSync(REPO, [def('login')], [], { scheduleRetries: 3, now: 0 })).toThrow(/callback URL/);
  });
});

describe('plan rendering', () => {
  it('renders one row per test and the counts, in text and Markdown', () => {
    const { plan } = planSync(
      REPO,
      [def('login', { schedule: '*/5 * * * *' }), def('new-one', { name: 'New | one' })],
      [stored(def('login')), stored(def('gone'))],
      OPTIONS,
    );
    const text = renderPlanTable(plan);
    expect(text.split('\n')[0]).toMatch(/^ACTION\s+TEST\s+SCHEDULE\s+WHY$/);
    expect(text).toContain('~ update  acme--shop--login');
    expect(text).toContain('*/15 * * * * → */5 * * * *');
    expect(text).toContain('- remove');
    expect(text).toContain('Plan for acme/shop: 1 to create, 1 to update, 1 to remove, 0 unchanged.');
    const md = renderPlanMarkdown(plan, 'HouseCat sync plan');
    expect(md).toContain('| Action | Test | Schedule | Why |');
    expect(md).toContain('New \\| one');
    expect(md.match(/^\| [+~=-] /gm)).toHaveLength(3);
  });
});
