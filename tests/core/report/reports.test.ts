import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonReport } from '../../../src/core/report/json.js';
import { renderJUnit } from '../../../src/core/report/junit.js';
import {
  PR_COMMENT_MARKER,
  renderPrComment,
  renderSummaryMarkdown,
} from '../../../src/core/report/markdown.js';
import { createProgressReporter } from '../../../src/core/report/progress.js';
import { renderTable } from '../../../src/core/report/table.js';
import type { RunResult, RunStatus } from '../../../src/core/types.js';
import { requireChromium } from '../../support/system.js';
import { makeTest } from '../../support/test-definitions.js';

const hostile = 'Got <script>alert(1)</script> & "quotes" | pipe @octocat ]]> \u0007bell';
const tests = [
  makeTest('login', { name: 'Login Flow' }),
  makeTest('checkout', { name: 'Checkout & <Pay>' }),
  makeTest('search', { name: 'Search' }),
  makeTest('ai', { name: 'AI goal' }),
];

function result(slug: string, status: RunStatus, reason: string): RunResult {
  const ok = status === 'passed';
  return {
    runId: `run-${slug}`,
    testId: `acme--shop--${slug}`,
    status,
    reason,
    agent: 'checks',
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    durationMs: 1234,
    steps: [
      { action: 'navigate', target: 'https://shop.example.com/', outcome: 'HTTP 200', ok: true, at: 1 },
      { action: 'check:text', target: '"Welcome"', outcome: ok ? 'found' : reason, ok, at: 2 },
    ],
    evidence: { finalUrl: 'https://shop.example.com/' },
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
}

const results = [
  result('login', 'passed', 'all checks passed'),
  result('checkout', 'failed', hostile),
  result('search', 'error', 'page did not load within 30 s'),
  result('ai', 'skipped', 'AI goal not run: ANTHROPIC_API_KEY is not set'),
];

describe('JUnit XML', () => {
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] });
  });
  afterAll(async () => browser?.close());

  it('parses back with a strict XML parser into suites, cases, failures and steps', async () => {
    const xml = renderJUnit(results, tests, { startedAt: Date.now(), durationMs: 4321 });
    const page = await browser.newPage();
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      const error = doc.querySelector('parsererror');
      const suite = doc.querySelector('testsuites > testsuite');
      return {
        error: error?.textContent ?? null,
        suite: Object.fromEntries(
          ['tests', 'failures', 'errors', 'skipped', 'time'].map((a) => [a, suite?.getAttribute(a)]),
        ),
        cases: Array.from(doc.querySelectorAll('testcase')).map((c) => ({
          name: c.getAttribute('name'),
          classname: c.getAttribute('classname'),
          time: c.getAttribute('time'),
          failure: c.querySelector('failure')?.getAttribute('message') ?? null,
          failureText: c.querySelector('failure')?.textContent ?? null,
          error: c.querySelector('error')?.getAttribute('message') ?? null,
          skipped: c.querySelector('skipped')?.getAttribute('message') ?? null,
          out: c.querySelector('system-out')?.textContent ?? '',
        })),
      };
    }, xml);
    await page.close();
    expect(parsed.error).toBeNull();
    expect(parsed.suite).toEqual({ tests: '4', failures: '1', errors: '1', skipped: '1', time: '4.321' });
    expect(parsed.cases.map((c) => c.name)).toEqual(['Login Flow', 'Checkout & <Pay>', 'Search', 'AI goal']);
    expect(parsed.cases[0]).toMatchObject({ classname: 'housecat.acme/shop', time: '1.234', failure: null });
    // The bell character cannot exist in XML 1.0: it is replaced, everything else survives intact.
    const expectedReason = hostile.replace('\u0007', '\uFFFD');
    expect(parsed.cases[1]?.failure).toBe(expectedReason);
    expect(parsed.cases[1]?.failureText).toContain(`Failed step: check:text "Welcome": ${expectedReason}`);
    expect(parsed.cases[2]?.error).toBe('page did not load within 30 s');
    expect(parsed.cases[3]?.skipped).toBe('AI goal not run: ANTHROPIC_API_KEY is not set');
    expect(parsed.cases[0]?.out).toContain('1. [ok] navigate https://shop.example.com/: HTTP 200');
    expect(parsed.cases[1]?.out).toContain('2. [FAILED] check:text "Welcome"');
  });
});

describe('JSON report', () => {
  it('carries id, name, status, reason, duration and steps for every result', () => {
    const report = toJsonReport(results, tests, { startedAt: 0, durationMs: 5000, baseUrl: 'http://x:1' });
    const roundTripped = JSON.parse(JSON.stringify(report));
    expect(roundTripped.summary).toEqual({ total: 4, passed: 1, failed: 1, error: 1, skipped: 1 });
    expect(roundTripped.results[1]).toMatchObject({
      id: 'acme--shop--checkout',
      name: 'Checkout & <Pay>',
      status: 'failed',
      reason: hostile,
      durationMs: 1234,
      duration: '1.2 s',
      failedStep: `check:text "Welcome": ${hostile}`,
    });
    expect(roundTripped.results[1].steps).toHaveLength(2);
    expect(roundTripped.results[0].failedStep).toBeUndefined();
  });
});

describe('Markdown', () => {
  it('lists every test and details failures with reason and failed step, escaping site text', () => {
    const md = renderSummaryMarkdown(results, tests, { durationMs: 4321 });
    expect(md).toContain('## ❌ HouseCat: 1 passed, 1 failed, 1 error, 1 skipped');
    for (const name of ['Login Flow', 'Checkout &amp; &lt;Pay&gt;', 'Search', 'AI goal'])
      expect(md).toContain(`| ${name} |`);
    expect(md).toContain('**Failed step:** check:text "Welcome": Got &lt;script&gt;');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('@octocat');
    expect(md).toContain('\\| pipe');
    // A table row never breaks: every row has exactly 4 unescaped cell separators plus the edges.
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| Test'));
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
  });

  it('starts the PR comment with the marker and diffs against the base branch', () => {
    const baseline = new Map([
      [
        'acme--shop--login',
        { runId: 'b1', status: 'passed' as const, reason: '', startedAt: 0, durationMs: 1 },
      ],
      [
        'acme--shop--checkout',
        { runId: 'b2', status: 'passed' as const, reason: '', startedAt: 0, durationMs: 1 },
      ],
      ['acme--shop--search', undefined],
    ]);
    const body = renderPrComment(results, tests, { baseline, baseBranch: 'main' });
    expect(body.startsWith(`${PR_COMMENT_MARKER}\n`)).toBe(true);
    expect(body.indexOf(PR_COMMENT_MARKER)).toBe(body.lastIndexOf(PR_COMMENT_MARKER));
    expect(body).toContain('**Compared with the last run on main:** 3 changed, 1 unchanged');
    expect(body).toContain('- Checkout &amp; &lt;Pay&gt;: ✅ passed on main → ❌ failed here');
    expect(body).toContain('- Search: no run on main yet → ⚠️ error here');
    expect(renderPrComment(results, tests)).not.toContain('Compared with');
  });

  it('cannot be tricked into containing a second marker by site text', () => {
    const sneaky = result('checkout', 'failed', `${PR_COMMENT_MARKER} fake`);
    const body = renderPrComment([sneaky], tests);
    expect(body.split(PR_COMMENT_MARKER)).toHaveLength(2);
  });
});

describe('terminal output', () => {
  it('prints a table with test, status, duration and reason and a totals line', () => {
    const table = renderTable(results, tests, 4321, { width: 100 });
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TEST\s+STATUS\s+DURATION\s+REASON$/);
    expect(lines[1]).toMatch(/^Login Flow\s+PASS\s+1\.2 s\s+all checks passed$/);
    expect(lines[3]).toMatch(/^Search\s+ERROR\s+1\.2 s\s+page did not load within 30 s$/);
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 error, 1 skipped in 4.3 s');
    expect(lines.every((l) => l.length <= 100)).toBe(true);
  });

  it('writes one line per step event when not on a TTY', () => {
    let out = '';
    const reporter = createProgressReporter({ write: (s) => (out += s), tty: false });
    const t = tests[0]!;
    reporter.testStarted?.(t, 1);
    reporter.event?.(t, { type: 'step', message: 'navigate /login: HTTP 200', at: 0 });
    reporter.event?.(t, { type: 'step', message: 'check:text "Welcome": found', at: 0 });
    reporter.testFinished?.(t, results[0]!);
    expect(out.split('\n').filter(Boolean)).toEqual([
      `[Login Flow] started ${t.url}`,
      '[Login Flow] navigate /login: HTTP 200',
      '[Login Flow] check:text "Welcome": found',
      '[Login Flow] PASSED in 1.2 s',
    ]);
  });

  it('redraws one line per test in place on a TTY', () => {
    const writes: string[] = [];
    const reporter = createProgressReporter({
      write: (s) => writes.push(s),
      tty: true,
      color: false,
      columns: 60,
    });
    reporter.started?.(tests.slice(0, 2));
    reporter.testStarted?.(tests[1]!, 1);
    reporter.testFinished?.(tests[1]!, results[1]!);
    // First draw: two lines, no cursor movement; later draws move up two lines and rewrite both.
    expect(writes[0]).not.toContain('\x1b[2A');
    expect(writes.at(-1)?.startsWith('\x1b[2A')).toBe(true);
    const last = writes.at(-1)!.split('\n').filter(Boolean);
    expect(last).toHaveLength(2);
    expect(last[1]).toContain('✗ Checkout & <Pay> failed in 1.2 s Got <script>');
    expect(last[1]).not.toContain('\u0007');
    expect(last.every((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]|\r/g, '').length <= 59)).toBe(true);
  });
});
