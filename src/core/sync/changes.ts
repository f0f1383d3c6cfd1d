/**
 * The reasons a person reads in the sync plan table for a changed test: each field that differs,
 * named as users write it in housecat.yml, with old and new values when they are short.
 */
import type { TestDefinition } from '../types.js';
import { canonicalJson } from './hash.js';

/** The names users write in housecat.yml, for reasons. */
const FIELD_LABELS: Record<keyof TestDefinition, string> = {
  id: 'id',
  slug: 'id',
  repo: 'repository',
  name: 'name',
  url: 'url',
  goal: 'goal',
  schedule: 'schedule',
  scheduleSecond: 'schedule (its second of the minute, from H)',
  timeout: 'timeout',
  retries: 'retries',
  failureThreshold: 'failure_threshold',
  recoveryThreshold: 'recovery_threshold',
  agent: 'agent',
  model: 'model',
  maxSteps: 'max_steps',
  allowedHosts: 'allowed_hosts',
  secrets: 'secrets',
  expect: 'expect',
  replay: 'replay',
  maintenance: 'maintenance',
  notify: 'notify',
  notifyOn: 'notify_on',
  trace: 'trace',
};

/** Fields whose old and new values are short enough to show in the reason. */
const SHOW_VALUES = new Set<keyof TestDefinition>([
  'schedule',
  'scheduleSecond',
  'timeout',
  'retries',
  'failureThreshold',
  'recoveryThreshold',
  'agent',
  'model',
  'maxSteps',
]);

function show(value: unknown): string {
  return value === undefined ? 'none' : String(value);
}

/** Reasons a stored definition differs from the desired one, in a stable order. */
export function describeChanges(before: TestDefinition, after: TestDefinition): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const key of Object.keys(FIELD_LABELS) as (keyof TestDefinition)[]) {
    const a = before[key];
    const b = after[key];
    if (canonicalJson(a) === canonicalJson(b)) continue;
    const label = FIELD_LABELS[key];
    if (seen.has(label)) continue;
    seen.add(label);
    if (key === 'schedule' && a === undefined) reasons.push(`schedule added (${show(b)})`);
    else if (key === 'schedule' && b === undefined) reasons.push(`schedule removed (was ${show(a)})`);
    else if (SHOW_VALUES.has(key)) reasons.push(`${label} changed (${show(a)} → ${show(b)})`);
    else reasons.push(`${label} changed`);
  }
  return reasons;
}
