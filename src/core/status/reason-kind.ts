/**
 * The kind of a run's reason in two or three words, for what a public page may say about a run
 * whose reason it must not show (reasons come from the page under test and are public only with
 * `show_goals`): "Inconclusive since 11:56 UTC (configuration)", a heartbeat bar's title.
 */
import type { RunStatus } from '../types.js';

const KINDS: [RegExp, string][] = [
  [/^maintenance\b/i, 'maintenance window'],
  [/cannot run this test here|is not set|are not set|not configured|no goal/i, 'configuration'],
  [/time budget|timeout|timed out/i, 'timeout'],
  [/without reaching a verdict|max_steps|token budget|verdict rejected/i, 'no verdict from the agent'],
  [/anthropic|tinyfish|model api|overloaded|rate limit|\b(429|5\d\d)\b/i, 'AI service unavailable'],
  [/browser|chromium/i, 'browser problem'],
  [/could not open|no response from|ERR_[A-Z_]+|refused/i, 'site unreachable'],
  [/cancelled|stopped/i, 'run cut short'],
];

const BY_STATUS: Record<RunStatus, string> = {
  passed: 'passed',
  failed: 'goal not reached',
  error: 'inconclusive',
  skipped: 'skipped',
};

/** A short, non-revealing kind for `reason` (the run's own status when nothing more is known). */
export function reasonKind(status: RunStatus, reason: string | undefined): string {
  if (status === 'passed') return BY_STATUS.passed;
  if (status === 'failed' && /^check:|expected (status|text)|check failed/i.test(reason ?? ''))
    return 'check failed';
  for (const [pattern, kind] of KINDS) if (reason && pattern.test(reason)) return kind;
  return BY_STATUS[status];
}
