/**
 * The status side of the Redis store: `status_page` settings, the reads behind status pages, badges
 * and the read API (pipelines over the test hashes, the newest results and the hourly rollups, never a
 * scan of `results:`), and `rollup rebuild`. Built on a RedisStore's transport, so it speaks to the
 * same server over REST or TCP with the same keys.
 */
import type { TestPageData, TestPageReader } from '../../core/dashboard/ports.js';
import { testId as makeTestId } from '../../core/ids.js';
import type {
  Clock,
  RepoStatus,
  RepoStatusHead,
  RepoStatusOptions,
  StatusPageSettings,
  StatusReader,
  StatusWriter,
  StoredResult,
  StoredTest,
  TestBadgeData,
  TestStatusData,
} from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import { emptyHour, type HourCounts, rollUp } from '../../core/status/rollup.js';
import { WINDOW_HOURS } from '../../core/status/view.js';
import { decodeIncident, decodeResult, decodeTest, memberScores, pairs, strings } from './codec.js';
import { zrevrange } from './commands.js';
import { decodePastIncidents, INCIDENT_HISTORY_MS } from './incident-history.js';
import type { RedisStore } from './redis-store.js';
import { oldestKeptHour } from './rollup-commands.js';
import { packHour, unpackHour } from './rollup-packing.js';
import { decodeHourSums, sumHoursCommand } from './rollup-sums.js';
import { badgeCommand, headCommand, testsCommands } from './status-scripts.js';
import type { Command, Reply } from './transport.js';

/** Fields of the `repo:{owner/name}:status` hash. */
export function encodeStatusSettings(settings: StatusPageSettings): string[] {
  const fields = ['public', settings.public ? '1' : '0', 'show_goals', settings.showGoals ? '1' : '0'];
  if (settings.title !== undefined) fields.push('title', settings.title);
  return fields;
}

export function decodeStatusSettings(reply: Reply): StatusPageSettings | null {
  const f = pairs(reply);
  if (f.size === 0) return null;
  const settings: StatusPageSettings = {
    public: f.get('public') === '1',
    showGoals: f.get('show_goals') === '1',
  };
  const title = f.get('title');
  if (title !== undefined) settings.title = title;
  return settings;
}

/**
 * KEYS[1] stats hash, KEYS[2] results zset; ARGV expected ZCARD, expected newest member ('' for
 * none), TTL ms, then field/value pairs. Replaces the rollups only when the results are still what
 * the caller read: a run recorded meanwhile makes it answer 0 and the caller reads again.
 */
const REPLACE_SCRIPT = `
if redis.call('ZCARD', KEYS[2]) ~= tonumber(ARGV[1]) then return 0 end
local newest = redis.call('ZRANGE', KEYS[2], -1, -1)[1] or ''
if newest ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if #ARGV > 3 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

const REBUILD_ATTEMPTS = 5;

function hoursRange(fromHour: number, toHour: number): string[] {
  const out: string[] = [];
  for (let h = fromHour; h <= toHour; h++) out.push(String(h));
  return out;
}

function decodeHours(fields: string[], reply: Reply): Map<number, HourCounts> {
  const hours = new Map<number, HourCounts>();
  if (!Array.isArray(reply)) return hours;
  reply.forEach((value, i) => {
    if (typeof value !== 'string') return;
    const counts = unpackHour(value);
    if (counts) hours.set(Number(fields[i]), counts);
  });
  return hours;
}

function decodeResults(reply: Reply): StoredResult[] {
  return strings(reply)
    .map(decodeResult)
    .filter((r): r is StoredResult => r !== null);
}

/** The StatusReader and StatusWriter over a RedisStore (either transport). */
export class RedisStatusStore implements StatusReader, StatusWriter, TestPageReader {
  constructor(
    private readonly store: RedisStore,
    private readonly clock: Clock = systemClock,
  ) {}

  private get keys() {
    return this.store.keys;
  }

  /** Per test: HGETALL test, newest results, HMGET of the window's hours, HGETALL incident. */
  private testCommands(id: string, recent: number, hourFields: string[]): Command[] {
    return [
      ['HGETALL', this.keys.test(id)],
      zrevrange(this.keys.results(id), '+inf', '-inf', recent),
      ['HMGET', this.keys.stats(id), ...hourFields],
      ['HGETALL', this.keys.incident(id)],
    ];
  }

  private decodeTestReplies(id: string, replies: Reply[], hourFields: string[]): TestStatusData | null {
    const test = decodeTest(this.keys.test(id), replies[0] ?? null);
    if (!test) return null;
    return {
      test,
      recent: decodeResults(replies[1] ?? null),
      hours: decodeHours(hourFields, replies[2] ?? null),
      incident: decodeIncident(replies[3] ?? null),
    };
  }

  async readRepoHead(
    repo: string,
    options: { historyFrom: number; includePrivate?: boolean },
  ): Promise<RepoStatusHead> {
    const reply = await this.store.transport.command(
      'read status page',
      headCommand(this.keys, repo, {
        historyFrom: options.historyFrom,
        includePrivate: !!options.includePrivate,
      }),
    );
    const [settingsReply, idsReply, historyReply, version] = Array.isArray(reply) ? reply : [];
    return {
      settings: decodeStatusSettings(settingsReply ?? null),
      ids: strings(idsReply ?? null),
      history: decodePastIncidents(historyReply ?? null),
      version: typeof version === 'string' ? version : '',
    };
  }

  async readRepoTests(
    repo: string,
    ids: readonly string[],
    options: { recent: number; fromHour: number; toHour: number },
  ): Promise<TestStatusData[]> {
    if (ids.length === 0) return [];
    // The last 7 days hour by hour (the charts); older hours of the window only count in sums.
    const detailFromHour = Math.max(options.fromHour, options.toHour - WINDOW_HOURS.d7 + 1);
    const commands = testsCommands(this.keys, ids, { ...options, detailFromHour });
    const replies = await this.store.transport.pipeline('read status page', commands);
    const hourFields = hoursRange(detailFromHour, options.toHour);
    const tests: TestStatusData[] = [];
    const perTest = replies.flatMap((r) => (Array.isArray(r) ? r : []));
    ids.forEach((id, i) => {
      const [test, results, incident, older, hours] = Array.isArray(perTest[i])
        ? (perTest[i] as Reply[])
        : [];
      const data = this.decodeTestReplies(
        id,
        [test ?? null, results ?? null, hours ?? null, incident ?? null],
        hourFields,
      );
      // The id is derived from the repo; a hash of another repository is not one of its tests.
      if (!data || data.test.definition.repo.toLowerCase() !== repo.toLowerCase()) return;
      const sum = typeof older === 'string' && older !== '' ? unpackHour(older) : null;
      if (sum) data.hours.set(options.fromHour, sum);
      tests.push(data);
    });
    return tests;
  }

  async readRepoStatus(repo: string, options: RepoStatusOptions): Promise<RepoStatus> {
    const historyFrom = options.historyFrom ?? this.clock.now() - INCIDENT_HISTORY_MS;
    const head = await this.readRepoHead(repo, { historyFrom, includePrivate: !!options.includePrivate });
    const tests = await this.readRepoTests(repo, head.ids, options);
    return { settings: head.settings, tests, history: head.history };
  }

  async readTestBadge(
    repo: string,
    slug: string,
    options: { recent: number; window?: { fromHour: number; toHour: number }; includePrivate?: boolean },
  ): Promise<{ public: boolean; test: TestBadgeData | null }> {
    const id = makeTestId(repo, slug);
    const reply = await this.store.transport.command(
      'read badge',
      badgeCommand(this.keys, repo, id, options),
    );
    const [isPublic, testRepo, incident, last, sum] = Array.isArray(reply) ? reply : [];
    if (isPublic !== '1') return { public: false, test: null };
    // The id is derived from the repo; a hash of another repository (a crafted slug) is not this test.
    if (typeof testRepo !== 'string' || testRepo.toLowerCase() !== repo.toLowerCase())
      return { public: true, test: null };
    const status =
      incident === 'open' || incident === 'acknowledged' || incident === 'resolved' ? incident : null;
    return {
      public: true,
      test: {
        lastConclusive: last === 'passed' || last === 'failed' ? last : null,
        incident: status,
        window: options.window
          ? (typeof sum === 'string' && sum !== '' && unpackHour(sum)) || emptyHour()
          : null,
      },
    };
  }

  async readTestStatus(
    repo: string,
    slug: string,
    options: { recent: number; fromHour: number; toHour: number },
  ): Promise<{ settings: StatusPageSettings | null; test: TestStatusData | null }> {
    // Callers check repo and slug first; makeTestId throws on anything that is not one.
    const id = makeTestId(repo, slug);
    const hourFields = hoursRange(options.fromHour, options.toHour);
    const replies = await this.store.transport.pipeline('read test status', [
      ['HGETALL', this.keys.repoStatus(repo)],
      ...this.testCommands(id, options.recent, hourFields),
    ]);
    const settings = decodeStatusSettings(replies[0] ?? null);
    const data = this.decodeTestReplies(id, replies.slice(1), hourFields);
    // The id is derived from the repo; a hash of another repository (a crafted slug) is not this test.
    const test = data && data.test.definition.repo.toLowerCase() === repo.toLowerCase() ? data : null;
    return { settings, test };
  }

  /**
   * The dashboard's test page in 1 round trip: the test, its newest `recent` results, its incident,
   * and its rollups summed per range inside Redis (rollup-sums.ts), never 720 raw hours.
   */
  async readTestPage(
    repo: string,
    slug: string,
    options: { recent: number; ranges: readonly { fromHour: number; toHour: number }[] },
  ): Promise<TestPageData | null> {
    const id = makeTestId(repo, slug);
    const [testReply, resultsReply, incidentReply, sumsReply] = await this.store.transport.pipeline(
      'read test page',
      [
        ['HGETALL', this.keys.test(id)],
        zrevrange(this.keys.results(id), '+inf', '-inf', options.recent),
        ['HGETALL', this.keys.incident(id)],
        sumHoursCommand(this.keys.stats(id), options.ranges),
      ],
    );
    const test = decodeTest(this.keys.test(id), testReply ?? null);
    // The id is derived from the repo; a hash of another repository (a crafted slug) is not this test.
    if (!test || test.definition.repo.toLowerCase() !== repo.toLowerCase()) return null;
    return {
      test,
      recent: decodeResults(resultsReply ?? null),
      incident: decodeIncident(incidentReply ?? null),
      sums: decodeHourSums(sumsReply ?? null, options.ranges.length),
    };
  }

  async listRepoTestsWithSettings(
    repo: string,
  ): Promise<{ tests: StoredTest[]; settings: StatusPageSettings | null }> {
    const t = this.store.transport;
    const [settingsReply, idsReply] = await t.pipeline('list tests', [
      ['HGETALL', this.keys.repoStatus(repo)],
      ['SMEMBERS', this.keys.repoTests(repo)],
    ]);
    const settings = decodeStatusSettings(settingsReply ?? null);
    const ids = strings(idsReply ?? null).sort();
    return { tests: await this.store.testsByIds(ids), settings };
  }

  async readStatusSettings(repo: string): Promise<StatusPageSettings | null> {
    const key = this.keys.repoStatus(repo);
    return decodeStatusSettings(
      await this.store.transport.command('read status page settings', ['HGETALL', key]),
    );
  }

  async saveStatusSettings(repo: string, settings: StatusPageSettings | null): Promise<void> {
    const key = this.keys.repoStatus(repo);
    const commands: Command[] = [['DEL', key]];
    if (settings) commands.push(['HSET', key, ...encodeStatusSettings(settings)]);
    await this.store.transport.transaction('write status page settings', commands);
  }

  async rebuildRollups(testId: string): Promise<number> {
    const t = this.store.transport;
    const resultsKey = this.keys.results(testId);
    for (let attempt = 1; attempt <= REBUILD_ATTEMPTS; attempt++) {
      const members = await t.command('rebuild rollups', ['ZRANGE', resultsKey, '0', '-1', 'WITHSCORES']);
      const entries = memberScores(members);
      const oldest = oldestKeptHour(this.store.limits, this.clock.now());
      const runs = entries.map((e) => decodeResult(e.member)).filter((r): r is StoredResult => r !== null);
      const hours = [...rollUp(runs)].filter(([hour]) => hour >= oldest).sort(([a], [b]) => a - b);
      const reply = await t.command('rebuild rollups', [
        'EVAL',
        REPLACE_SCRIPT,
        '2',
        this.keys.stats(testId),
        resultsKey,
        String(entries.length),
        entries.at(-1)?.member ?? '',
        String(this.store.limits.retentionMs),
        ...hours.flatMap(([hour, counts]) => [String(hour), packHour(counts)]),
      ]);
      if (Number(reply) === 1) return hours.length;
    }
    throw new Error(
      `rollup rebuild of ${testId}: runs kept arriving while it read them (${REBUILD_ATTEMPTS} attempts); run it again.`,
    );
  }
}

/** The status reader and writer of a store built by createStore (same server, keys and retention). */
export function statusStoreOf(store: RedisStore, clock?: Clock): RedisStatusStore {
  return new RedisStatusStore(store, clock);
}

/** Every test id (`tests:all`), or one repository's, sorted: what `housecat rollup rebuild` walks. */
export async function testIdsFor(store: RedisStore, repo?: string): Promise<string[]> {
  const key = repo === undefined ? store.keys.allTests() : store.keys.repoTests(repo);
  return strings(await store.transport.command('list tests', ['SMEMBERS', key])).sort();
}
