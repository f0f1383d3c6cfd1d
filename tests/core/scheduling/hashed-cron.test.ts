import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../../src/core/config/cron.js';
import { parseDefinitions } from '../../../src/core/config/parse.js';
import { compileCron } from '../../../src/core/scheduling/cron-ticks.js';
import {
  resolveHashedCron,
  scheduledCron,
  scheduledSecond,
  spreadCron,
  usesHash,
} from '../../../src/core/scheduling/hashed-cron.js';
import { deliveryTiming } from '../../../src/core/scheduling/lateness.js';
import { overdue } from '../../../src/core/scheduling/watchdog.js';
import { planSync } from '../../../src/core/sync/plan.js';
import type { TestDefinition } from '../../../src/core/types.js';

const ids = Array.from({ length: 500 }, (_, i) => `acme--shop--test-${i}`);
const minuteOffset = (cron: string) => compileCron(cron).minutes.indexOf(true);
const parse = (source: string) => parseDefinitions(source, { file: 'housecat.yml', repo: 'acme/shop' });

describe('resolveHashedCron', () => {
  it('gives the same cron for the same id on every call (pinned: a change would move every schedule)', () => {
    expect(resolveHashedCron('H/5 * * * *', 'acme--shop--login-flow')).toBe('1-56/5 * * * *');
    expect(resolveHashedCron('H H * * *', 'acme--shop--login-flow')).toBe('56 16 * * *');
    for (const id of ids.slice(0, 20)) {
      expect(resolveHashedCron('H/15 H(8-17) * * *', id)).toBe(resolveHashedCron('H/15 H(8-17) * * *', id));
    }
  });

  it('spreads 500 ids on H/5 over all 5 minutes, at least 60 on each', () => {
    const counts = [0, 0, 0, 0, 0];
    for (const id of ids) {
      const cron = resolveHashedCron('H/5 * * * *', id);
      const offset = minuteOffset(cron);
      counts[offset] = (counts[offset] ?? 0) + 1;
      // Every 5 minutes from that offset: 12 ticks an hour, 5 minutes apart.
      const minutes = compileCron(cron).minutes.flatMap((on, m) => (on ? [m] : []));
      expect(minutes).toEqual(Array.from({ length: 12 }, (_, k) => offset + 5 * k));
    }
    expect(counts.every((n) => n >= 60)).toBe(true);
    expect(counts.reduce((a, b) => a + b)).toBe(500);
  });

  it('resolves every form to plain cron within its range, with Jenkins bounds for day of month and week', () => {
    for (const id of ids.slice(0, 200)) {
      const cron = resolveHashedCron('H H(8-15)/2 H H(1-6) H', id);
      expect(cronProblem(cron), cron).toBeNull();
      expect(usesHash(cron)).toBe(false);
      const [m, h, dom, mon, dow] = cron.split(' ').map((part) => Number.parseInt(part, 10));
      expect(m).toBeGreaterThanOrEqual(0);
      expect(m).toBeLessThanOrEqual(59);
      expect([8, 9]).toContain(h); // H(8-15)/2 starts at 8 or 9
      expect(dom).toBeGreaterThanOrEqual(1);
      expect(dom).toBeLessThanOrEqual(28);
      expect(mon).toBeGreaterThanOrEqual(1);
      expect(mon).toBeLessThanOrEqual(6);
      expect(dow).toBeGreaterThanOrEqual(0);
      expect(dow).toBeLessThanOrEqual(6);
      const half = resolveHashedCron('H(0-29)/10 * * * *', id);
      expect([
        '0-20/10',
        '1-21/10',
        '2-22/10',
        '3-23/10',
        '4-24/10',
        '5-25/10',
        '6-26/10',
        '7-27/10',
        '8-28/10',
        '9-29/10',
      ]).toContain(half.split(' ')[0]);
    }
  });

  it('leaves an expression without H unchanged, and H inside a list resolves item by item', () => {
    expect(resolveHashedCron('*/15 * * * MON-FRI', 'x')).toBe('*/15 * * * MON-FRI');
    expect(resolveHashedCron('0,H(30-59) * * * *', 'acme--shop--a')).toMatch(/^0,(3\d|4\d|5\d) \* \* \* \*$/);
  });
});

describe('spreadCron', () => {
  it('turns a */N minute into H/N and leaves times someone chose alone', () => {
    expect(spreadCron('*/5 * * * *')).toBe('H/5 * * * *');
    expect(spreadCron('*/15 9-17 * * MON-FRI')).toBe('H/15 9-17 * * MON-FRI');
    expect(spreadCron('0 * * * *')).toBe('0 * * * *');
    expect(spreadCron('*/1 * * * *')).toBe('*/1 * * * *');
    expect(spreadCron('* * * * *')).toBe('* * * * *');
    expect(scheduledCron('*/5 * * * *', 'acme--shop--a', false)).toBe('*/5 * * * *');
    expect(scheduledCron('*/5 * * * *', 'acme--shop--a', true)).toBe(
      resolveHashedCron('H/5 * * * *', 'acme--shop--a'),
    );
  });
});

describe('scheduledSecond: H spreads within the minute too', () => {
  it('gives each id on an H minute its own second, stable and spread over 0-59', () => {
    const seconds = ids.map((id) => scheduledSecond('H/5 * * * *', id, false));
    expect(scheduledSecond('H/5 * * * *', ids[0]!, false)).toBe(seconds[0]);
    expect(Math.min(...seconds)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seconds)).toBeLessThanOrEqual(59);
    // 500 ids over 60 seconds: every second is used, none by more than 20 (about 8.3 on average).
    const perSecond = Array.from({ length: 60 }, (_, s) => seconds.filter((x) => x === s).length);
    expect(Math.min(...perSecond)).toBeGreaterThan(0);
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(20);
  });

  it('leaves a minute someone wrote at :00, and follows spread', () => {
    const id = ids.find((candidate) => scheduledSecond('H/5 * * * *', candidate, false) > 0)!;
    expect(scheduledSecond('*/5 * * * *', id, false)).toBe(0);
    expect(scheduledSecond('0 H * * *', id, false)).toBe(0);
    expect(scheduledSecond('*/5 * * * *', id, true)).toBe(scheduledSecond('H/5 * * * *', id, false));
    expect(scheduledSecond('H 2 * * *', id, false)).toBeGreaterThan(0);
  });
});

describe('H in a definitions file', () => {
  const file = (extra: string) => `
defaults:
  schedule: "*/5 * * * *"
${extra}
tests:
  - name: Spread
    url: https://a.example
    expect: { status: 200 }
  - name: Not spread
    url: https://a.example
    expect: { status: 200 }
    spread: false
  - name: Hashed
    url: https://a.example
    expect: { status: 200 }
    schedule: "H/15 H(8-17) * * *"
`;

  it('stores the resolved cron per test id, spreading */N only when spread is on', () => {
    const plain = parse(file(''));
    const spread = parse(file('  spread: true'));
    if (!plain.ok || !spread.ok) throw new Error('expected valid files');
    expect(plain.tests.map((t) => t.schedule)).toEqual([
      '*/5 * * * *',
      '*/5 * * * *',
      resolveHashedCron('H/15 H(8-17) * * *', 'acme--shop--hashed'),
    ]);
    expect(spread.tests[0]?.schedule).toBe(resolveHashedCron('H/5 * * * *', 'acme--shop--spread'));
    expect(spread.tests[1]?.schedule).toBe('*/5 * * * *');
    expect(spread.tests.every((t) => !usesHash(t.schedule ?? ''))).toBe(true);
    // The second of the minute: only where the minute is hashed (and only when it is not :00).
    const second = (id: string, cron: string, on: boolean) => scheduledSecond(cron, id, on) || undefined;
    expect(plain.tests.map((t) => t.scheduleSecond)).toEqual([
      undefined,
      undefined,
      second('acme--shop--hashed', 'H/15 H(8-17) * * *', false),
    ]);
    expect(spread.tests[0]?.scheduleSecond).toBe(second('acme--shop--spread', '*/5 * * * *', true));
    expect(spread.tests[1]?.scheduleSecond).toBeUndefined();
  });

  it('sends QStash the resolved cron: no H ever leaves sync', () => {
    const outcome = parse(file('  spread: true'));
    if (!outcome.ok) throw new Error('expected a valid file');
    const { writes, plan } = planSync('acme/shop', outcome.tests, [], {
      callbackUrl: 'https://app.example',
      scheduleRetries: 3,
      now: 0,
    });
    expect(writes.scheduleUpserts.map((s) => s.cron)).toEqual(outcome.tests.map((t) => t.schedule));
    expect(writes.scheduleUpserts.some((s) => usesHash(s.cron))).toBe(false);
    expect(writes.scheduleUpserts[1]?.cron).toBe('*/5 * * * *'); // spread: false on that test
    expect(plan.items[0]?.schedule).toBe(resolveHashedCron('H/5 * * * *', 'acme--shop--spread'));
    // QStash holds each message until the test's second (Upstash-Delay).
    expect(writes.scheduleUpserts.map((s) => s.delaySeconds)).toEqual(
      outcome.tests.map((t) => t.scheduleSecond),
    );
  });

  it('reports a bad H form with its line and field', () => {
    const outcome = parse(`tests:
  - name: A
    url: https://a.example
    goal: g
    schedule: "H(50-10) * * * *"
  - name: B
    url: https://a.example
    goal: g
    schedule: "0 H/30 * * *"
maintenance:
  - schedule: "H 2 * * SUN"
    duration: 1h
`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.diagnostics.map((d) => `${d.line} ${d.path}: ${d.message}`)).toEqual([
      '5 tests[0].schedule: "H(50-10) * * * *" — minute "H(50-10)": the range runs backwards (write it low-high)',
      '9 tests[1].schedule: "0 H/30 * * *" — hour "H/30": the step 30 is longer than the 24 values H covers (0-23)',
      '11 maintenance[0].schedule: "H 2 * * SUN" — minute "H": H (hash) is for test schedules only; a maintenance window needs a fixed time',
    ]);
  });
});

describe('lateness and the watchdog use the resolved cron', () => {
  // An id whose H/5 offset is 3: it runs at :03, :08, :13…
  const id = ids.find((candidate) => minuteOffset(resolveHashedCron('H/5 * * * *', candidate)) === 3)!;
  const cron = resolveHashedCron('H/5 * * * *', id);
  const at = (iso: string) => Date.parse(iso);

  it('counts lateness from the minute the test was scheduled for, not from :00', () => {
    expect(cron).toBe('3-58/5 * * * *');
    const arrived = at('2026-03-02T10:03:02Z');
    expect(deliveryTiming(cron, arrived, arrived)).toEqual({
      tick: at('2026-03-02T10:03:00Z'),
      latenessMs: 2000,
    });
  });

  it('counts lateness from the second the test was spread to, retries included', () => {
    const arrived = at('2026-03-02T10:03:27.400Z');
    expect(deliveryTiming(cron, arrived, arrived, 27_000)).toEqual({
      tick: at('2026-03-02T10:03:27Z'),
      latenessMs: 400,
    });
    // A retry 4 minutes on keeps the first arrival's due time.
    expect(deliveryTiming(cron, arrived, arrived + 4 * 60_000, 27_000)?.tick).toBe(
      at('2026-03-02T10:03:27Z'),
    );
    // Early by a few ms (QStash's clock ahead of ours): still that tick, lateness 0, never 5 minutes
    // late from the tick before.
    const early = at('2026-03-02T10:03:26.990Z');
    expect(deliveryTiming(cron, early, early, 27_000)).toEqual({
      tick: at('2026-03-02T10:03:27Z'),
      latenessMs: 0,
    });
  });

  it('calls the test missed only after two of its own ticks passed', () => {
    const definition = { id, name: 'x', schedule: cron, timeout: 30, retries: 0 } as TestDefinition;
    const entry = {
      test: { definition, contentHash: 'h', updatedAt: 0 },
      lastRun: {
        runId: 'r',
        status: 'passed' as const,
        reason: '',
        startedAt: at('2026-03-02T10:03:01Z'),
        durationMs: 1,
      },
      incident: null,
    };
    // Its ticks 10:08 and 10:13 passed; grace is 5 min + 30 s. Measured from :00 ticks (10:05,
    // 10:10) it would already be missed at 10:15:30.
    expect(overdue(entry, at('2026-03-02T10:18:29Z'))).toBeNull();
    expect(overdue(entry, at('2026-03-02T10:18:30Z'))?.intervalMs).toBe(5 * 60_000);
  });
});
