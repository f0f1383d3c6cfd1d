import { describe, expect, it } from 'vitest';
import { parseDefinitions } from '../../../src/core/config/parse.js';

const parse = (yaml: string) => parseDefinitions(yaml, { file: 'housecat.yml', repo: 'acme/shop' });

describe('the notify and notify_on fields', () => {
  it('takes the test’s own list, else defaults, else the top level; [] turns alerts off', () => {
    const outcome = parse(`notify: [ops]
notify_on: [opened, resolved, missed]
defaults: { notify: [team] }
tests:
  - { name: A, url: "https://a.example.com", expect: { status: 200 } }
  - { name: B, url: "https://a.example.com", expect: { status: 200 }, notify: [pager, ops], notify_on: [opened] }
  - { name: C, url: "https://a.example.com", expect: { status: 200 }, notify: [] }
`);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [a, b, c] = outcome.tests;
    expect(a).toMatchObject({ notify: ['team'], notifyOn: ['opened', 'resolved', 'missed'] });
    expect(b).toMatchObject({ notify: ['pager', 'ops'], notifyOn: ['opened'] });
    expect(c).not.toHaveProperty('notify');
  });

  it('leaves tests without alerts as they were (no field, so their content hash stays)', () => {
    const outcome = parse(`tests:
  - { name: A, url: "https://a.example.com", expect: { status: 200 } }
`);
    expect(outcome.ok && outcome.tests[0]).not.toHaveProperty('notify');
    expect(outcome.ok && outcome.tests[0]).not.toHaveProperty('notifyOn');
  });

  it('reports a channel name that cannot be an environment variable, and an unknown event, with lines', () => {
    const outcome = parse(`tests:
  - name: A
    url: "https://a.example.com"
    expect: { status: 200 }
    notify: [on-call]
    notify_on: [opened, flapping]
`);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const messages = outcome.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n');
    expect(messages).toContain('5: a channel name is lower-case letters, digits and _');
    expect(messages).toMatch(
      /6: each event must be one of: opened, resolved, missed, reason_changed, acknowledged/,
    );
  });
});
