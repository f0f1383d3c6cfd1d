import { describe, expect, it } from 'vitest';
import { decideIncident, sameReason } from '../../../src/core/incidents/state.js';
import type { StoredResult } from '../../../src/core/ports.js';
import type { Incident, RunStatus } from '../../../src/core/types.js';

const test = { id: 'acme--shop--login', repo: 'acme/shop', failureThreshold: 2, recoveryThreshold: 1 };

/** Builds newest-first history from an oldest-first list of statuses, one run a minute. */
function history(statuses: RunStatus[], reason = 'expected "Welcome", page says "Error"'): StoredResult[] {
  return statuses
    .map((status, i) => ({
      runId: `r${i}`,
      status,
      reason: status === 'passed' ? 'ok' : reason,
      startedAt: 60_000 * (i + 1),
      durationMs: 100,
    }))
    .reverse();
}

/** Replays runs one by one through the state machine, applying its decisions like the use case does. */
function replay(statuses: RunStatus[], t = test): { kinds: string[]; incident: Incident | null } {
  let incident: Incident | null = null;
  const kinds: string[] = [];
  for (let i = 1; i <= statuses.length; i++) {
    const d = decideIncident({
      test: t,
      current: incident,
      history: history(statuses.slice(0, i)),
      now: i * 60_000,
    });
    kinds.push(d.kind);
    if (d.kind === 'open') incident = { ...d.incident, issueNumber: 1 };
    else if (d.kind === 'update' || d.kind === 'reason-changed') incident = d.incident;
    else if (d.kind === 'resolve')
      incident = { ...d.incident, status: 'resolved', resolvedAt: d.recoveredAt };
  }
  return { kinds, incident };
}

describe('decideIncident', () => {
  it('opens nothing when a test flaps fail, pass, fail, pass with thresholds 2/1', () => {
    expect(replay(['failed', 'passed', 'failed', 'passed']).kinds).toEqual(['none', 'none', 'none', 'none']);
  });

  it('opens after failure_threshold consecutive failures and resolves after recovery_threshold passes', () => {
    const { kinds } = replay(['failed', 'failed', 'failed', 'passed'], { ...test, recoveryThreshold: 1 });
    expect(kinds).toEqual(['none', 'open', 'update', 'resolve']);
  });

  it('ignores error and skipped runs for both streaks', () => {
    const r = replay(['failed', 'error', 'skipped', 'failed', 'error', 'passed']);
    expect(r.kinds).toEqual(['none', 'none', 'none', 'open', 'none', 'resolve']);
  });

  it('waits for recovery_threshold passes before resolving', () => {
    const r = replay(['failed', 'failed', 'passed', 'failed', 'passed', 'passed'], {
      ...test,
      recoveryThreshold: 2,
    });
    expect(r.kinds).toEqual(['none', 'open', 'none', 'update', 'none', 'resolve']);
  });

  it('records where the incident started and how many runs failed', () => {
    const r = replay(['passed', 'failed', 'failed', 'failed']);
    expect(r.incident).toMatchObject({
      status: 'open',
      since: 120_000,
      lastFailureAt: 240_000,
      failedRuns: 3,
    });
  });

  it('does not count the same failed run twice when it is evaluated again', () => {
    const h = history(['failed', 'failed', 'failed']);
    const open = decideIncident({ test, current: null, history: h, now: 1 });
    expect(open.kind).toBe('open');
    const incident = { ...(open as { incident: Incident }).incident, issueNumber: 3 };
    const again = decideIncident({ test, current: incident, history: h, now: 2 });
    expect(again).toMatchObject({ kind: 'update', incident: { failedRuns: 3 } });
  });

  it('asks for a comment only when the failure reason changes', () => {
    const incident: Incident = {
      testId: test.id,
      repo: test.repo,
      status: 'open',
      issueNumber: 1,
      since: 60_000,
      openedAt: 0,
      lastFailureAt: 120_000,
      lastReason: 'page took 3012 ms',
      failedRuns: 2,
    };
    const same = history(['failed', 'failed', 'failed'], 'page took 3500 ms');
    expect(decideIncident({ test, current: incident, history: same, now: 0 }).kind).toBe('update');
    const other = history(['failed', 'failed', 'failed'], 'status 502');
    expect(decideIncident({ test, current: incident, history: other, now: 0 })).toMatchObject({
      kind: 'reason-changed',
      previousReason: 'page took 3012 ms',
    });
  });

  it('keeps an acknowledged incident closed while failing, even for a new reason, and resolves it with its issue on recovery', () => {
    const ack: Incident = {
      testId: test.id,
      repo: test.repo,
      status: 'acknowledged',
      issueNumber: 1,
      since: 60_000,
      openedAt: 0,
      lastFailureAt: 120_000,
      lastReason: 'x',
      failedRuns: 2,
    };
    const failing = decideIncident({
      test,
      current: ack,
      history: history(['failed', 'failed', 'failed'], 'y'),
      now: 0,
    });
    // The reason changed (x → y), yet no comment is due on an issue a person closed: an update only.
    expect(failing).toEqual({
      kind: 'update',
      incident: expect.objectContaining({ status: 'acknowledged' }),
    });
    const recovered = decideIncident({
      test,
      current: ack,
      history: history(['failed', 'failed', 'passed']),
      now: 0,
    });
    // Resolved like an open incident: the record still names the (closed) issue, so the results
    // summary is posted there; the use case closes only an issue whose incident is still open.
    expect(recovered).toEqual({
      kind: 'resolve',
      incident: expect.objectContaining({ status: 'acknowledged', issueNumber: 1 }),
      recoveredAt: 180_000,
    });
  });

  it('asks to open again when the incident was recorded but its issue never got created', () => {
    const pending: Incident = {
      testId: test.id,
      repo: test.repo,
      status: 'open',
      since: 60_000,
      openedAt: 0,
      lastFailureAt: 120_000,
      lastReason: 'x',
      failedRuns: 2,
    };
    expect(
      decideIncident({ test, current: pending, history: history(['failed', 'failed', 'failed']), now: 0 })
        .kind,
    ).toBe('open');
  });

  it('compares reasons with numbers blanked out', () => {
    expect(sameReason('took 3012 ms', 'took  3500 ms')).toBe(true);
    expect(sameReason('status 502', 'text "Welcome" missing')).toBe(false);
  });
});
