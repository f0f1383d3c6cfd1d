/**
 * Parses JUnit XML with Chromium's strict XML parser (DOMParser, `application/xml`), so tests
 * check what a real XML consumer reads — not what a regular expression hopes is there.
 */
import { type Browser, chromium } from 'playwright-core';
import { requireChromium } from './system.js';

export interface ParsedJUnit {
  parseError: string | null;
  suites: Record<string, string | null>[];
  cases: {
    name: string | null;
    classname: string | null;
    time: string | null;
    failure: string | null;
    failureText: string | null;
    error: string | null;
    skipped: string | null;
    out: string;
  }[];
}

export async function parseJUnit(xml: string, browser?: Browser): Promise<ParsedJUnit> {
  const own =
    browser ?? (await chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] }));
  try {
    const page = await own.newPage();
    return await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      const attrs = (el: Element, names: string[]) =>
        Object.fromEntries(names.map((n) => [n, el.getAttribute(n)]));
      return {
        parseError: doc.querySelector('parsererror')?.textContent ?? null,
        suites: Array.from(doc.querySelectorAll('testsuite')).map((s) =>
          attrs(s, ['name', 'tests', 'failures', 'errors', 'skipped', 'time']),
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
  } finally {
    if (!browser) await own.close();
  }
}
