/**
 * JUnit XML (`--junit PATH`) in the dialect common CI viewers read (Jenkins, GitLab, GitHub
 * test-report actions): one testsuite, a testcase per test, `failure`/`error`/`skipped` with the
 * reason, `system-out` with the steps.
 */
import type { RunResult, TestDefinition } from '../types.js';
import { countsOf } from './counts.js';
import { describeStep, failedStep, nameOf } from './format.js';

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an XML attribute or element, dropping characters XML cannot represent. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** Same, for element text: newlines stay readable. */
function escapeText(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

export function renderJUnit(
  results: RunResult[],
  tests: TestDefinition[],
  meta: { startedAt: number; durationMs: number; suiteName?: string },
): string {
  const name = nameOf(tests);
  const repos = new Map(tests.map((t) => [t.id, t.repo]));
  const counts = countsOf(results);
  const suite = meta.suiteName ?? 'HouseCat';
  const totals = `tests="${results.length}" failures="${counts.failed}" errors="${counts.error}" skipped="${counts.skipped}" time="${seconds(meta.durationMs)}"`;
  const cases = results.map((r) => {
    const classname = `housecat.${repos.get(r.testId) ?? 'tests'}`;
    const open = `    <testcase name="${escapeXml(name(r.testId))}" classname="${escapeXml(classname)}" time="${seconds(r.durationMs)}">`;
    const body: string[] = [];
    const step = failedStep(r);
    const detail = [
      r.reason,
      step ? `Failed step: ${describeStep(step)}` : '',
      r.evidence.finalUrl ? `Page: ${r.evidence.finalUrl}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    if (r.status === 'failed')
      body.push(
        `      <failure message="${escapeXml(r.reason)}" type="failed">${escapeText(detail)}</failure>`,
      );
    if (r.status === 'error')
      body.push(`      <error message="${escapeXml(r.reason)}" type="error">${escapeText(detail)}</error>`);
    if (r.status === 'skipped') body.push(`      <skipped message="${escapeXml(r.reason)}"/>`);
    const steps = r.steps.map((s, i) => `${i + 1}. [${s.ok ? 'ok' : 'FAILED'}] ${describeStep(s)}`);
    body.push(
      `      <system-out>${escapeText([`test id: ${r.testId}`, `run id: ${r.runId}`, ...steps].join('\n'))}</system-out>`,
    );
    return [open, ...body, '    </testcase>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suite)}" ${totals}>`,
    `  <testsuite name="${escapeXml(suite)}" ${totals} timestamp="${new Date(meta.startedAt).toISOString()}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
