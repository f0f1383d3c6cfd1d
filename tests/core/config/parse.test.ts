import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';
import { formatDiagnostic } from '../../../src/core/errors.js';

const root = join(import.meta.dirname, '../../..');
const validDir = join(root, 'tests/fixtures/definitions/valid');
const parse = (source: string) => parseDefinitions(source, { file: 'housecat.yml', repo: 'Acme/Shop' });

describe('parseDefinitions', () => {
  it('accepts examples/housecat.yml and every valid fixture', () => {
    const files = [
      join(root, 'examples/housecat.yml'),
      ...readdirSync(validDir).map((f) => join(validDir, f)),
    ];
    for (const file of files) {
      const outcome = parse(readFileSync(file, 'utf8'));
      expect(outcome.ok ? 'ok' : outcome.diagnostics.map(formatDiagnostic).join('\n')).toBe('ok');
    }
  });

  it('applies defaults, derives ids and normalises expect.text when the file is valid', () => {
    const outcome = parse(`
defaults:
  schedule: "*/15 * * * *"
  retries: 3
  allowed_hosts: [CDN.example.com]
tests:
  - name: Login Flow
    url: https://myapp.com/login
    goal: "  Log in  "
    allowed_hosts: [auth.myapp.com]
    secrets: [DEMO_PASSWORD, DEMO_PASSWORD]
    expect: { text: Welcome }
  - name: Pricing
    id: prices
    url: https://myapp.com/pricing
    schedule: null
    expect: { status: 200, max_ms: 3000 }
`);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [login, pricing] = outcome.tests;
    expect(login).toEqual({
      id: 'acme--shop--login-flow',
      slug: 'login-flow',
      repo: 'Acme/Shop',
      name: 'Login Flow',
      url: 'https://myapp.com/login',
      goal: 'Log in',
      schedule: '*/15 * * * *',
      timeout: 120,
      retries: 3,
      failureThreshold: 2,
      recoveryThreshold: 1,
      agent: 'claude',
      maxSteps: 25,
      allowedHosts: ['cdn.example.com', 'auth.myapp.com'],
      secrets: ['DEMO_PASSWORD'],
      expect: { text: ['Welcome'] },
    });
    expect(pricing?.id).toBe('acme--shop--prices');
    expect(pricing?.agent).toBe('checks');
    expect(pricing?.schedule).toBeUndefined();
    expect(pricing?.expect).toEqual({ status: 200, maxMs: 3000 });
  });

  it('reports several mistakes in one file in one run, in line order', () => {
    const outcome = parse(`version: 1
tests:
  - name: Login Flow
    url: ftp://myapp.com
    goal: Log in
    schedul: "*/5 * * * *"
  - name: Home
    url: https://myapp.com
    schedule: "0 25 * * *"
    expect: { status: 200 }
  - name: Login Flow
    url: https://myapp.com/2
    expect: { text: [] }
`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual([
      '4:10 tests[0].url',
      '6:5 tests[0].schedul',
      '9:15 tests[1].schedule',
      '11:11 tests[2].name',
      '13:21 tests[2].expect.text',
    ]);
    expect(formatDiagnostic(outcome.diagnostics[2]!)).toBe(
      'housecat.yml:9:15: tests[1].schedule: "0 25 * * *" — hour must be 0-23',
    );
  });

  it('rejects a file over 1 MiB without parsing it', () => {
    const big = `tests:\n  - name: Big\n    url: https://a.example\n    goal: "${'x'.repeat(1024 * 1024)}"\n`;
    const outcome = parse(big);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.diagnostics[0]?.message).toMatch(/larger than 1 MiB/);
  });

  it('rejects an alias bomb without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    // 10^12 strings if expanded: finishing at all proves it was refused before expansion.
    const before = process.memoryUsage().heapUsed;
    const outcome = parse(`${levels.join('\n')}\ntests: *l\n`);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.diagnostics[0]?.message).toMatch(/alias bomb/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('never reports a file with only comments as valid', () => {
    const outcome = parse('# tests:\n#   - name: x\n');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.diagnostics[0]?.message).toMatch(/empty/);
  });

  it('rejects two YAML documents and duplicate keys', () => {
    for (const source of [
      'tests: []\n---\ntests: []\n',
      'tests:\n  - name: A\n    name: B\n    url: https://a.example\n    expect: {status: 200}\n',
    ]) {
      const outcome = parse(source);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.diagnostics[0]?.message).toMatch(/YAML syntax error/);
    }
  });

  it('gives the same tests on the fast path as on the careful, position-tracking path', () => {
    const sources = [
      readFileSync(join(root, 'examples/housecat.yml'), 'utf8'),
      ...readdirSync(validDir).map((f) => readFileSync(join(validDir, f), 'utf8')),
      // Scalars where YAML 1.1 and 1.2 parsers differ: both paths must read them as YAML 1.2 core.
      'tests:\n  - name: yes\n    url: https://a.example\n    expect: { status: 0x1F4, text: [2024-01-01, on, "1e3"] }\n',
      'tests:\n  - name: 012\n    url: https://a.example\n    expect: { status: 200, max_ms: 0o17 }\n',
      'tests:\n  - name: Null-ish\n    url: https://a.example\n    goal: ~\n',
      'tests:\n  - name: Tabs\n    url: https://a.example\n    expect: { text: "a\\tb" }\n',
    ];
    for (const source of sources) {
      const fast = parseDefinitions(source, { file: 'f.yml', repo: 'acme/shop' });
      const careful = parseDefinitions(source, { file: 'f.yml', repo: 'acme/shop', careful: true });
      expect(fast, source).toEqual(careful);
    }
  });
});
