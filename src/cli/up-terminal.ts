/**
 * What `housecat up` prints: the start-up banner (page, store, incident mode, tests with their next
 * run) and one line per finished run. Plain text, one line per event, so it reads well in a
 * terminal and in a container's log alike.
 */
import type { DeliveryOutcome } from '../app/handle-delivery.js';
import type { StoredResult } from '../core/ports.js';
import type { TestDefinition } from '../core/types.js';

export interface BannerFacts {
  repo: string;
  file: string;
  pageUrl: string;
  store: string;
  incidents: string;
  access: string;
  /** Said under the banner when set (non-loopback with --no-auth). */
  warning?: string;
  tests: { test: TestDefinition; at: number | null }[];
  unscheduled: number;
  tickMs?: number;
}

/** "12:01:00 UTC" */
export function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

export function bannerLines(f: BannerFacts): string[] {
  const lines = [
    `HouseCat is up: ${f.tests.length} scheduled test(s) of ${f.repo} from ${f.file}`,
    `  page:       ${f.pageUrl}/  (status page; dashboard, live view and Run now at ${f.pageUrl}/r/${f.repo})`,
    `  store:      ${f.store}`,
    `  incidents:  ${f.incidents}`,
    `  access:     ${f.access}`,
  ];
  if (f.tickMs)
    lines.push(`  test knob:  HOUSECAT_UP_TICK_MS=${f.tickMs}: every test ticks each ${f.tickMs} ms`);
  if (f.tests.length > 0) lines.push('  tests:');
  const width = Math.max(0, ...f.tests.map((t) => t.test.id.length));
  for (const { test, at } of f.tests) {
    const next = at === null ? 'never (the cron does not fire)' : `next run ${clock(at)}`;
    lines.push(`    ${test.id.padEnd(width)}  ${(test.schedule ?? '').padEnd(14)}  ${next}`);
  }
  if (f.unscheduled > 0) {
    lines.push(`  ${f.unscheduled} test(s) without a schedule: they run only as PR checks (housecat run).`);
  }
  if (f.tests.length === 0) {
    lines.push('  No test has a schedule: add `schedule: "*/5 * * * *"` to a test (the file is watched).');
  }
  lines.push('Stop with Ctrl-C.');
  if (f.warning) lines.push(`warning: ${f.warning}`);
  return lines;
}

const MARK: Record<string, string> = {
  passed: 'passed ',
  failed: 'FAILED ',
  error: 'ERROR  ',
  skipped: 'skipped',
};

/** One line for a finished delivery: time, status, test, duration, reason and incident change. */
export function runLine(
  test: TestDefinition,
  outcome: DeliveryOutcome,
  result: StoredResult | null,
  now: number,
): string {
  const at = clock(now);
  if (outcome.kind !== 'ran') {
    return `${at}  not run  ${test.id}: ${outcome.reason}`;
  }
  const mark = MARK[outcome.status] ?? outcome.status;
  const ms = result ? `  ${(result.durationMs / 1000).toFixed(1)} s` : '';
  const reason = result && outcome.status !== 'passed' && result.reason ? `  — ${result.reason}` : '';
  const incident = outcome.incident && outcome.incident !== 'none' ? `  [incident: ${outcome.incident}]` : '';
  return `${at}  ${mark}  ${test.id}${ms}${reason}${incident}`;
}
