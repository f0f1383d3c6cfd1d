/**
 * Live progress of `housecat run`. On a terminal: one line per test, redrawn in place. Anywhere
 * else (CI logs, pipes): one line per step event, so the log reads as a story.
 */
import type { RunReporter } from '../run/reporter.js';
import type { RunEvent, RunResult, RunStatus, TestDefinition } from '../types.js';
import { formatRunDuration, oneLine } from './format.js';

export interface ProgressOptions {
  write: (text: string) => void;
  /** Redraw in place (a TTY); otherwise append one line per event. */
  tty: boolean;
  /** Terminal width, so redrawn lines never wrap (wrapping breaks the redraw). */
  columns?: number;
  color?: boolean;
  now?: () => number;
}

const MARK: Record<RunStatus, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };
const COLOR: Record<RunStatus, string> = { passed: '32', failed: '31', error: '33', skipped: '90' };

/** A RunReporter that writes progress to `options.write`. */
export function createProgressReporter(options: ProgressOptions): RunReporter {
  return options.tty ? ttyReporter(options) : logReporter(options);
}

function logReporter({ write }: ProgressOptions): RunReporter {
  return {
    testStarted(test, attempt) {
      write(`[${test.name}] ${attempt > 1 ? `retry ${attempt - 1}: ` : ''}started ${test.url}\n`);
    },
    event(test, event: RunEvent) {
      if (event.type === 'step') write(`[${test.name}] ${oneLine(event.message, 300)}\n`);
    },
    testFinished(test, result: RunResult) {
      write(
        `[${test.name}] ${result.status.toUpperCase()} in ${formatRunDuration(result.durationMs)}` +
          `${result.status === 'passed' ? '' : `: ${oneLine(result.reason, 300)}`}\n`,
      );
    },
  };
}

function ttyReporter({ write, columns = 100, color = true, now = Date.now }: ProgressOptions): RunReporter {
  const lines = new Map<string, string>();
  let order: string[] = [];
  let drawn = 0;
  const width = Math.max(20, columns - 1);
  const paint = (status: RunStatus, text: string) => (color ? `\x1b[${COLOR[status]}m${text}\x1b[0m` : text);
  const startedAt = new Map<string, number>();

  const redraw = () => {
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const id of order) out += `\r\x1b[2K${lines.get(id) ?? ''}\n`;
    drawn = order.length;
    write(out);
  };
  const set = (test: TestDefinition, text: string, status?: RunStatus) => {
    const plain = oneLine(text, width - 2);
    lines.set(test.id, status ? `${paint(status, MARK[status])} ${plain}` : `… ${plain}`);
    redraw();
  };

  return {
    started(tests) {
      order = tests.map((t) => t.id);
      for (const t of tests) lines.set(t.id, `  ${oneLine(`${t.name}  waiting`, width - 2)}`);
      redraw();
    },
    testStarted(test, attempt) {
      startedAt.set(test.id, now());
      set(test, `${test.name}  ${attempt > 1 ? `retry ${attempt - 1}, ` : ''}starting`);
    },
    event(test, event) {
      const elapsed = formatRunDuration(now() - (startedAt.get(test.id) ?? now()));
      set(test, `${test.name}  ${elapsed}  ${event.message}`);
    },
    testFinished(test, result) {
      const reason = result.status === 'passed' ? '' : `  ${result.reason}`;
      set(
        test,
        `${test.name}  ${result.status} in ${formatRunDuration(result.durationMs)}${reason}`,
        result.status,
      );
    },
  };
}
