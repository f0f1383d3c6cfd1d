/**
 * The dashboard's test page shows the lateness of scheduled runs (p50/p95/worst) and an open
 * maintenance window, from the view the test page's route builds.
 */
import { describe, expect, it } from 'vitest';
import type { TestView } from '../../../src/app/dashboard/views.js';
import { testPage } from '../../../src/bot/dashboard/pages.js';
import type { StoredResult } from '../../../src/core/ports.js';
import { latenessStats } from '../../../src/core/scheduling/lateness.js';
import { makeTest } from '../../support/test-definitions.js';

const NOW = Date.UTC(2026, 11, 1, 9, 0);

function view(
  schedule: string | undefined,
  runs: Partial<StoredResult>[],
  maintenance: TestView['maintenance'],
) {
  const definition = makeTest('late', schedule ? { schedule } : {});
  if (!schedule) delete definition.schedule;
  const stored = runs.map(
    (r, i) =>
      ({
        runId: `r${i}`,
        status: 'passed',
        reason: 'ok',
        startedAt: NOW - i * 60_000,
        durationMs: 900,
        ...r,
      }) as StoredResult,
  );
  const page: TestView = {
    access: { repo: 'acme/shop', installationId: 1, permission: 'read' },
    test: { definition, contentHash: 'h', updatedAt: 1 },
    summary: { state: 'passed', heartbeat: [], uptime: { d1: 1, d7: 1, d30: 1 }, p50: 100, p95: 200 },
    runs: stored,
    chart: [],
    incident: null,
    shot: null,
    recentEvents: [],
    lateness: latenessStats(stored),
    maintenance,
  };
  return testPage(page, { login: 'octocat', csrf: 'x' }, 'https://github.com');
}

describe('the dashboard test page', () => {
  it('shows p50, p95 and the worst lateness of a scheduled test’s runs', () => {
    const html = view(
      '*/15 * * * *',
      [{ latenessMs: 3000 }, { latenessMs: 3000 }, { latenessMs: 90_000 }],
      null,
    );
    expect(html).toContain('Lateness of scheduled runs');
    expect(html).toContain('p50 3000 ms, p95 90000 ms, worst 90000 ms over 3 scheduled runs');
    expect(html).not.toContain('Maintenance window open');
  });

  it('shows an open maintenance window and no lateness section for a test without a schedule', () => {
    const html = view(undefined, [{}], { since: NOW - 60_000, until: NOW + 3_600_000 });
    expect(html).toContain('Maintenance window open until 2026-12-01 10:00:00 UTC');
    expect(html).not.toContain('Lateness of scheduled runs');
  });
});
