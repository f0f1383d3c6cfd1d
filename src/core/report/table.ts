/**
 * The results table printed at the end of `housecat run`.
 */
import type { RunResult, RunStatus, TestDefinition } from '../types.js';
import { countsOf } from './counts.js';
import { countsLine, formatRunDuration, nameOf, oneLine } from './format.js';
import { hasAiRuns, modeOf, tokensOf, usageLine } from './usage.js';

const LABEL: Record<RunStatus, string> = { passed: 'PASS', failed: 'FAIL', error: 'ERROR', skipped: 'SKIP' };

export interface TableOptions {
  /** Terminal width; the reason column is cut to fit (default 120). */
  width?: number;
  /** Wrap statuses in ANSI colours. */
  color?: boolean;
}

const COLOR: Record<RunStatus, string> = { passed: '32', failed: '31', error: '33', skipped: '90' };

/**
 * A plain-text table: test, status, duration, (mode and tokens when an AI goal ran), reason; then
 * a totals line, and the model usage of the run.
 */
export function renderTable(
  results: RunResult[],
  tests: TestDefinition[],
  durationMs: number,
  options: TableOptions = {},
): string {
  const name = nameOf(tests);
  const rows = results.map((r) => ({
    test: oneLine(name(r.testId), 40),
    status: r.status,
    duration: formatRunDuration(r.durationMs),
    mode: modeOf(r),
    tokens: tokensOf(r),
    reason: r.reason,
  }));
  const ai = hasAiRuns(results);
  const wMode = 6;
  const wTokens = Math.max(6, ...rows.map((r) => r.tokens.length));
  const usageCols = (mode: string, tokens: string) =>
    ai ? `${mode.padEnd(wMode)}  ${tokens.padEnd(wTokens)}  ` : '';
  const wTest = Math.max(4, ...rows.map((r) => r.test.length));
  const wStatus = 6;
  const wDuration = Math.max(8, ...rows.map((r) => r.duration.length));
  const wReason = Math.max(
    20,
    (options.width ?? 120) - wTest - wStatus - wDuration - 6 - (ai ? wMode + wTokens + 4 : 0),
  );
  const paint = (status: RunStatus, text: string) =>
    options.color ? `\x1b[${COLOR[status]}m${text}\x1b[0m` : text;
  const lines = [
    `${'TEST'.padEnd(wTest)}  ${'STATUS'.padEnd(wStatus)}  ${'DURATION'.padEnd(wDuration)}  ${usageCols('MODE', 'TOKENS')}REASON`,
    ...rows.map(
      (r) =>
        `${r.test.padEnd(wTest)}  ${paint(r.status, LABEL[r.status].padEnd(wStatus))}  ${r.duration.padEnd(wDuration)}  ${usageCols(r.mode, r.tokens)}${oneLine(r.reason, wReason)}`,
    ),
  ];
  lines.push('', `${countsLine(countsOf(results))} in ${formatRunDuration(durationMs)}`);
  if (ai) lines.push(usageLine(results));
  return `${lines.join('\n')}\n`;
}
