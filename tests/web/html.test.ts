import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, formatClock, formatMsExact, formatTimeSpan, formatUptime } from '../../src/web/html.js';

const src = resolve(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('the web layer HTML helpers', () => {
  it('escape every character that can end text or an attribute, and null as empty', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('format times, spans and percentages', () => {
    expect(formatClock(Date.UTC(2026, 11, 1, 7, 30, 15))).toBe('2026-12-01 07:30:15 UTC');
    expect(formatTimeSpan(3 * 3_600_000 + 20 * 60_000)).toBe('3 h 20 min');
    expect(formatTimeSpan(-5000)).toBe('0 s');
    expect(formatMsExact(340.4)).toBe('340 ms');
    expect(formatUptime(0.99951)).toBe('99.95%');
  });

  it('are the only HTML escaper of the pages: no page module escapes on its own', () => {
    const own = files(join(src, 'bot'))
      .filter((f) => /&amp;|&lt;/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(own).toEqual([]);
  });
});
