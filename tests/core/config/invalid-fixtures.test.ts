import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';

const dir = join(import.meta.dirname, '../../fixtures/definitions/invalid');
const parse = (file: string) =>
  parseDefinitions(readFileSync(join(dir, file), 'utf8'), { file, repo: 'acme/shop' });

/** Every invalid fixture with the exact problems it must produce: file, line, column, field path, message start. */
const expected: [string, number, number, string, string][] = [
  ['agent-unknown.yml', 6, 12, 'tests[0].agent', 'agent must be one of: claude, tinyfish, '],
  ['alias-bomb.yml', 1, 1, '', 'too many YAML aliases (*refs) are expand'],
  ['allowed-host-url.yml', 6, 21, 'tests[0].allowed_hosts[0]', '"https://auth.myapp.com/" is a URL, not '],
  ['bad-id.yml', 4, 9, 'tests[0].id', 'id must be a slug: lowercase letters and'],
  ['blank-goal.yml', 5, 11, 'tests[0].goal', 'goal is blank \u2014 write it out'],
  ['checks-with-goal.yml', 5, 11, 'tests[0].goal', 'a goal needs an AI agent, but agent is "'],
  ['cron-backwards-range.yml', 6, 15, 'tests[0].schedule', '"0 9 * * FRI-MON" \u2014 day of week range "F'],
  ['cron-bad-name.yml', 6, 15, 'tests[0].schedule', '"0 9 * JANUARY *" \u2014 month "JANUARY" is n'],
  ['cron-bad-step.yml', 6, 15, 'tests[0].schedule', '"*/0 * * * *" \u2014 minute step "/0" must be'],
  ['cron-minute-range.yml', 6, 15, 'tests[0].schedule', '"61 * * * *" \u2014 minute must be 0-59'],
  ['cron-six-fields.yml', 6, 15, 'tests[0].schedule', '"0 */15 * * * *" \u2014 has 6 fields, but QSt'],
  ['defaults-typo.yml', 4, 3, 'defaults.timout', 'unknown key "timout" \u2014 did you mean "tim'],
  ['duplicate-id.yml', 8, 9, 'tests[1].id', 'duplicate id "home" \u2014 tests[0] has the s'],
  ['duplicate-name.yml', 6, 11, 'tests[1].name', 'duplicate name "Home" \u2014 tests[0] already'],
  ['empty.yml', 1, 1, '', 'the file is empty \u2014 add a `tests:` list '],
  ['expect-status.yml', 6, 15, 'tests[0].expect.status', 'status must be at most 599'],
  ['missing-name.yml', 3, 5, 'tests[0].name', '`name` is missing \u2014 every test needs one'],
  ['missing-url.yml', 3, 5, 'tests[0].url', '`url` is missing \u2014 every test needs one '],
  ['no-goal-no-expect.yml', 3, 5, 'tests[0]', 'this test has neither `goal` nor `expect'],
  ['no-tests.yml', 2, 8, 'tests', 'tests is empty \u2014 add at least one test'],
  ['not-a-mapping.yml', 1, 1, '', 'the file must be a mapping with a `tests'],
  ['secret-name.yml', 6, 15, 'tests[0].secrets[0]', '"demo-password" is not an environment va'],
  ['secret-reserved.yml', 6, 15, 'tests[0].secrets[0]', '"ANTHROPIC_API_KEY" is one of HouseCat\'s'],
  ['threshold-negative.yml', 6, 24, 'tests[0].failure_threshold', 'failure_threshold must be at least 1'],
  ['timeout-absurd.yml', 6, 14, 'tests[0].timeout', 'timeout must be at most 600 (seconds)'],
  ['timeout-zero.yml', 6, 14, 'tests[0].timeout', 'timeout must be at least 5 (seconds)'],
  ['unknown-expect-key.yml', 7, 7, 'tests[0].expect.txt', 'unknown key "txt" \u2014 did you mean "text"?'],
  ['unknown-test-key.yml', 6, 5, 'tests[0].schedul', 'unknown key "schedul" \u2014 did you mean "sc'],
  ['unknown-top-key.yml', 1, 1, 'tests', '`tests` is missing \u2014 add a list of tests'],
  ['unknown-top-key.yml', 2, 1, 'test', 'unknown key "test" \u2014 did you mean "tests'],
  ['url-credentials.yml', 4, 10, 'tests[0].url', 'the URL contains a user name or password'],
  ['url-data.yml', 4, 10, 'tests[0].url', '"data:" URLs are not allowed \u2014 only http'],
  ['url-file.yml', 4, 10, 'tests[0].url', '"file:" URLs are not allowed \u2014 only http'],
  ['url-ftp.yml', 4, 10, 'tests[0].url', '"ftp:" URLs are not allowed \u2014 only http:'],
  ['url-javascript.yml', 4, 10, 'tests[0].url', '"javascript:" URLs are not allowed \u2014 onl'],
  ['url-malformed.yml', 4, 10, 'tests[0].url', '"https://my app.com/" is not a valid URL'],
  ['version.yml', 1, 10, 'version', 'version must be 1 \u2014 the only format this'],
  ['yaml-syntax.yml', 5, 1, '', 'YAML syntax error: Flow sequence in bloc'],
];

describe('invalid definitions', () => {
  it('has at least 25 fixtures, each listed here', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(new Set(expected.map(([f]) => f))).toEqual(new Set(files));
  });

  const byFile = new Map<string, typeof expected>();
  for (const row of expected) byFile.set(row[0], [...(byFile.get(row[0]) ?? []), row]);
  for (const [file, problems] of byFile) {
    it(`reports ${file} at the right line and field`, () => {
      const outcome = parse(file);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(
        outcome.diagnostics.map((d) => [d.file, d.line, d.column, d.path, d.message.slice(0, 40)]),
      ).toEqual(problems);
    });
  }
});
